/**
 * The detectors: pure functions from counts to a reading. Each reading says whether the measure reaches the
 * raise thresholds, and whether it still reaches the lower hold thresholds (hysteresis, `clearRatio`).
 */
import type { SignalKind } from './early-warning-signal';
import type { EarlyWarningThresholds } from './thresholds';
import { BASELINE_DAYS } from './thresholds';

/** Counts of one scope for COMPLAINT_SPIKE and REPEAT_CONTACTS. */
export interface CountMeasure {
  /** In the last 24 h. */
  observed: number;
  /** In the trailing 28 days before those 24 h. */
  trailing: number;
  /**
   * Days of the scope's history inside those 28 days (0..28, whole days rounded up): from the first case or order
   * fact of the merchant. 0 means no history: the baseline is 0 and the minimum count alone decides.
   */
  historyDays: number;
}

/** Hits among a total, for NEGATIVE_SENTIMENT_SURGE (negative among triaged) and SLA_BREACH_RATE (breached among ended clocks). */
export interface ShareMeasure {
  windowHits: number;
  windowTotal: number;
  baselineHits: number;
  baselineTotal: number;
}

export type Measurement =
  { kind: 'COMPLAINT_SPIKE' | 'REPEAT_CONTACTS'; counts: CountMeasure } | { kind: 'NEGATIVE_SENTIMENT_SURGE' | 'SLA_BREACH_RATE'; counts: ShareMeasure };

export interface Reading {
  observed: number;
  baseline: number;
  score: number;
  /** The raise thresholds are met. */
  raise: boolean;
  /** The hold thresholds (raise thresholds × clearRatio) are met: a raised signal stays. */
  hold: boolean;
}

/** The smallest daily mean 28 days can show (one case), and the smallest share counted: floors of the score's divisor. */
export const COUNT_BASELINE_FLOOR = 1 / BASELINE_DAYS;
export const SHARE_BASELINE_FLOOR = 0.01;

const round = (n: number) => Math.round(n * 10_000) / 10_000;

/** The trailing daily mean over the days of history (at most 28); 0 without history. */
export function dailyMean(trailing: number, historyDays: number): number {
  const days = Math.min(BASELINE_DAYS, Math.max(0, Math.ceil(historyDays)));
  return days === 0 ? 0 : trailing / days;
}

/** Observed, baseline and score, rounded to 4 decimals; `meets(scale)` tells whether the thresholds × scale are met. */
function reading(observed: number, baseline: number, floor: number, meets: (scale: number) => boolean, clearRatio: number): Reading {
  return { observed: round(observed), baseline: round(baseline), score: round(observed / Math.max(baseline, floor)), raise: meets(1), hold: meets(clearRatio) };
}

function countReading(counts: CountMeasure, factor: number, minCases: number, clearRatio: number): Reading {
  const baseline = dailyMean(counts.trailing, counts.historyDays);
  const meets = (scale: number) => counts.observed >= minCases * scale && counts.observed >= factor * scale * baseline;
  return reading(counts.observed, baseline, COUNT_BASELINE_FLOOR, meets, clearRatio);
}

const share = (hits: number, total: number) => (total > 0 ? hits / total : 0);

/** COMPLAINT_SPIKE: cases in 24 h ≥ factor × trailing daily mean and ≥ the minimum count. */
export function readComplaintSpike(counts: CountMeasure, t: EarlyWarningThresholds): Reading {
  return countReading(counts, t.spikeFactor, t.spikeMinCases, t.clearRatio);
}

/** REPEAT_CONTACTS: cases triaged as repeat complaints (same customer and order) in 24 h against their trailing daily mean. */
export function readRepeatContacts(counts: CountMeasure, t: EarlyWarningThresholds): Reading {
  return countReading(counts, t.repeatFactor, t.repeatMinCases, t.clearRatio);
}

/** NEGATIVE_SENTIMENT_SURGE: share of NEGATIVE triage in 24 h ≥ factor × baseline share, ≥ a minimum share, over enough cases. */
export function readSentimentSurge(counts: ShareMeasure, t: EarlyWarningThresholds): Reading {
  const observed = share(counts.windowHits, counts.windowTotal);
  const baseline = share(counts.baselineHits, counts.baselineTotal);
  const meets = (scale: number) =>
    counts.windowTotal >= t.sentimentMinCases * scale && observed >= t.sentimentMinShare * scale && observed >= t.sentimentFactor * scale * baseline;
  return reading(observed, baseline, SHARE_BASELINE_FLOOR, meets, t.clearRatio);
}

/** SLA_BREACH_RATE: share of the SLA clocks that ended in 24 h (met or breached) that breached, over enough clocks. */
export function readBreachRate(counts: ShareMeasure, t: EarlyWarningThresholds): Reading {
  const observed = share(counts.windowHits, counts.windowTotal);
  const baseline = share(counts.baselineHits, counts.baselineTotal);
  const meets = (scale: number) => counts.windowTotal >= t.breachMinClocks * scale && observed >= t.breachRate * scale;
  return reading(observed, baseline, SHARE_BASELINE_FLOOR, meets, t.clearRatio);
}

export function readMeasurement(m: Measurement, t: EarlyWarningThresholds): Reading {
  switch (m.kind) {
    case 'COMPLAINT_SPIKE':
      return readComplaintSpike(m.counts, t);
    case 'REPEAT_CONTACTS':
      return readRepeatContacts(m.counts, t);
    case 'NEGATIVE_SENTIMENT_SURGE':
      return readSentimentSurge(m.counts, t);
    case 'SLA_BREACH_RATE':
      return readBreachRate(m.counts, t);
  }
}

/** A reading of nothing at all (a scope with no activity left in the window): never holds. */
export function emptyMeasurement(kind: SignalKind): Measurement {
  return kind === 'COMPLAINT_SPIKE' || kind === 'REPEAT_CONTACTS'
    ? { kind, counts: { observed: 0, trailing: 0, historyDays: 0 } }
    : { kind, counts: { windowHits: 0, windowTotal: 0, baselineHits: 0, baselineTotal: 0 } };
}
