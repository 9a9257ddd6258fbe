/**
 * One evaluation at `now`: readings of every measured scope against the signals raised so far, with
 * hysteresis. A signal not raised is raised when its raise thresholds are met; a raised one is cleared when its
 * measure falls below the hold thresholds, or when its scope has no activity left to measure (a quiet period).
 */
import type { EarlyWarningSignal, SignalScope } from './early-warning-signal';
import type { EarlyWarningClearedData, EarlyWarningRaisedData, SignalStreamState } from './early-warning-events';
import type { Measurement, Reading } from './detectors';
import { emptyMeasurement, readMeasurement } from './detectors';
import { signalKey } from './signal-key';
import type { EarlyWarningThresholds } from './thresholds';
import { WINDOW } from './thresholds';

export type ScopedMeasurement = Measurement & { scope: SignalScope };

export type SignalDecision = { action: 'raise'; key: string; data: EarlyWarningRaisedData } | { action: 'clear'; key: string; data: EarlyWarningClearedData };

/** What the hysteresis does with one reading, given whether the signal is raised. */
export function hysteresis(raised: boolean, reading: Pick<Reading, 'raise' | 'hold'>): 'raise' | 'clear' | 'keep' {
  if (!raised) return reading.raise ? 'raise' : 'keep';
  return reading.hold ? 'keep' : 'clear';
}

function signalOf(m: ScopedMeasurement, reading: Reading, since: string): EarlyWarningSignal {
  return { kind: m.kind, scope: m.scope, window: WINDOW, observed: reading.observed, baseline: reading.baseline, score: reading.score, since };
}

/** The decision for one signal on its current stream state (used again on fresh state after a concurrent append). */
export function decideSignal(m: ScopedMeasurement, state: SignalStreamState, thresholds: EarlyWarningThresholds, now: Date): SignalDecision | undefined {
  const key = signalKey(m.kind, m.scope);
  const reading = readMeasurement(m, thresholds);
  switch (hysteresis(state.raised !== undefined, reading)) {
    case 'raise':
      return { action: 'raise', key, data: { signalKey: key, ...signalOf(m, reading, now.toISOString()) } };
    case 'clear':
      return { action: 'clear', key, data: { signalKey: key, ...signalOf(m, reading, state.raised!.since), clearedAt: now.toISOString() } };
    default:
      return undefined;
  }
}

/**
 * Decisions for every measured scope and every raised signal. `raised` maps signal keys to their stream state
 * (as far as the caller knows it; appends with its revision catch a stale one).
 */
export function evaluateSignals(
  measurements: readonly ScopedMeasurement[],
  raised: ReadonlyMap<string, SignalStreamState>,
  thresholds: EarlyWarningThresholds,
  now: Date,
): Array<{ measurement: ScopedMeasurement; decision: SignalDecision }> {
  const out: Array<{ measurement: ScopedMeasurement; decision: SignalDecision }> = [];
  const measured = new Set<string>();
  for (const m of measurements) {
    const key = signalKey(m.kind, m.scope);
    measured.add(key);
    const decision = decideSignal(m, raised.get(key) ?? { revision: -1 }, thresholds, now);
    if (decision) out.push({ measurement: m, decision });
  }
  for (const [key, state] of raised) {
    if (measured.has(key) || !state.raised) continue;
    const m: ScopedMeasurement = { ...emptyMeasurement(state.raised.kind), scope: state.raised.scope };
    const decision = decideSignal(m, state, thresholds, now);
    if (decision) out.push({ measurement: m, decision });
  }
  return out;
}
