/** EARLY_WARNING_* variables: the detectors' thresholds and how often the early-warning watch evaluates them. */
import type { EarlyWarningThresholds } from '@aftersales/early-warning';
import { DEFAULT_EARLY_WARNING_THRESHOLDS } from '@aftersales/early-warning';

export interface EarlyWarningConfig {
  thresholds: EarlyWarningThresholds;
  /** EARLY_WARNING_INTERVAL_MS: how often the watch measures, raises and clears signals. */
  intervalMs: number;
}

export const DEFAULT_EARLY_WARNING_INTERVAL_MS = 60_000;

/** Each threshold: its variable, and the range it must lie in (`integer`: whole numbers only). */
const THRESHOLD_VARIABLES: ReadonlyArray<{
  name: string;
  key: keyof EarlyWarningThresholds;
  min: number;
  max: number;
  integer?: boolean;
  minExclusive?: boolean;
}> = [
  { name: 'EARLY_WARNING_SPIKE_FACTOR', key: 'spikeFactor', min: 1, max: 1_000 },
  { name: 'EARLY_WARNING_SPIKE_MIN_CASES', key: 'spikeMinCases', min: 1, max: 1_000_000, integer: true },
  { name: 'EARLY_WARNING_SENTIMENT_FACTOR', key: 'sentimentFactor', min: 1, max: 1_000 },
  { name: 'EARLY_WARNING_SENTIMENT_MIN_SHARE', key: 'sentimentMinShare', min: 0, max: 1, minExclusive: true },
  { name: 'EARLY_WARNING_SENTIMENT_MIN_CASES', key: 'sentimentMinCases', min: 1, max: 1_000_000, integer: true },
  { name: 'EARLY_WARNING_REPEAT_FACTOR', key: 'repeatFactor', min: 1, max: 1_000 },
  { name: 'EARLY_WARNING_REPEAT_MIN_CASES', key: 'repeatMinCases', min: 1, max: 1_000_000, integer: true },
  { name: 'EARLY_WARNING_BREACH_RATE', key: 'breachRate', min: 0, max: 1, minExclusive: true },
  { name: 'EARLY_WARNING_BREACH_MIN_CLOCKS', key: 'breachMinClocks', min: 1, max: 1_000_000, integer: true },
  { name: 'EARLY_WARNING_CLEAR_RATIO', key: 'clearRatio', min: 0, max: 1, minExclusive: true },
];

export const EARLY_WARNING_VARIABLES = [...THRESHOLD_VARIABLES.map((v) => v.name), 'EARLY_WARNING_INTERVAL_MS'] as const;

export function parseEarlyWarning(env: NodeJS.ProcessEnv, problems: string[]): EarlyWarningConfig {
  const thresholds: EarlyWarningThresholds = { ...DEFAULT_EARLY_WARNING_THRESHOLDS };
  for (const v of THRESHOLD_VARIABLES) {
    const raw = env[v.name];
    if (raw === undefined || raw.trim() === '') continue;
    const value = /^\s*\d+(\.\d+)?\s*$/.test(raw) ? Number(raw) : NaN;
    const inRange = Number.isFinite(value) && (v.minExclusive ? value > v.min : value >= v.min) && value <= v.max;
    if (!inRange || (v.integer && !Number.isInteger(value))) {
      const range = `${v.minExclusive ? 'above' : 'from'} ${v.min} ${v.minExclusive ? 'up ' : ''}to ${v.max}`;
      problems.push(`${v.name} must be ${v.integer ? 'an integer' : 'a number'} ${range}, got '${raw}'`);
      continue;
    }
    thresholds[v.key] = value;
  }
  const rawInterval = env.EARLY_WARNING_INTERVAL_MS;
  let intervalMs = DEFAULT_EARLY_WARNING_INTERVAL_MS;
  if (rawInterval !== undefined && rawInterval.trim() !== '') {
    intervalMs = /^\s*\d+\s*$/.test(rawInterval) ? Number(rawInterval) : NaN;
    if (!Number.isSafeInteger(intervalMs) || intervalMs < 1_000 || intervalMs > 3_600_000) {
      problems.push(`EARLY_WARNING_INTERVAL_MS must be an integer from 1000 to 3600000, got '${rawInterval}'`);
      intervalMs = DEFAULT_EARLY_WARNING_INTERVAL_MS;
    }
  }
  return { thresholds, intervalMs };
}
