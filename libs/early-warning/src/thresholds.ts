/** When each kind of signal is raised and when it clears again (configuration: EARLY_WARNING_* variables). */

export interface EarlyWarningThresholds {
  /** COMPLAINT_SPIKE: cases in 24 h at least this many times the trailing daily mean… */
  spikeFactor: number;
  /** …and at least this many cases. */
  spikeMinCases: number;
  /** NEGATIVE_SENTIMENT_SURGE: share of NEGATIVE triage in 24 h at least this many times the baseline share… */
  sentimentFactor: number;
  /** …at least this share (0..1)… */
  sentimentMinShare: number;
  /** …over at least this many triaged cases. */
  sentimentMinCases: number;
  /** REPEAT_CONTACTS: repeat complaints in 24 h at least this many times the trailing daily mean… */
  repeatFactor: number;
  /** …and at least this many. */
  repeatMinCases: number;
  /** SLA_BREACH_RATE: share of SLA clocks ending (met or breached) in 24 h that breached, at least this (0..1)… */
  breachRate: number;
  /** …over at least this many clocks. */
  breachMinClocks: number;
  /**
   * Hysteresis: a raised signal stays raised while its measure is at least this fraction (0..1] of every raise
   * threshold, so a measure hovering at the threshold does not raise and clear on alternate ticks.
   */
  clearRatio: number;
}

export const DEFAULT_EARLY_WARNING_THRESHOLDS: EarlyWarningThresholds = {
  spikeFactor: 3,
  spikeMinCases: 5,
  sentimentFactor: 1.5,
  sentimentMinShare: 0.5,
  sentimentMinCases: 5,
  repeatFactor: 2,
  repeatMinCases: 3,
  breachRate: 0.2,
  breachMinClocks: 5,
  clearRatio: 0.8,
};

/** The observation window and the trailing baseline (spec: last 24 h against the trailing 28 days). */
export const WINDOW_MS = 24 * 3_600_000;
export const WINDOW = 'PT24H';
export const BASELINE_DAYS = 28;
