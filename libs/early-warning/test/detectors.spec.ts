/** The detectors as the spec words them: given counts, then a reading that raises, holds or lets go. */
import { DEFAULT_EARLY_WARNING_THRESHOLDS as T, dailyMean, readBreachRate, readComplaintSpike, readRepeatContacts, readSentimentSurge } from '../src';

describe('COMPLAINT_SPIKE: cases in the last 24 h against the trailing 28-day daily mean', () => {
  it('raises at ≥ 3× the mean and ≥ 5 cases (mean 1/day over 28 days: 5 cases raise, score 5)', () => {
    expect(readComplaintSpike({ observed: 5, trailing: 28, historyDays: 28 }, T)).toEqual({ observed: 5, baseline: 1, score: 5, raise: true, hold: true });
  });

  it('does not raise below 5 cases, however far above the mean', () => {
    expect(readComplaintSpike({ observed: 4, trailing: 0, historyDays: 28 }, T).raise).toBe(false);
  });

  it('does not raise below 3× the mean (mean 2/day: 5 cases are 2.5×)', () => {
    const r = readComplaintSpike({ observed: 5, trailing: 56, historyDays: 28 }, T);
    expect(r).toMatchObject({ baseline: 2, score: 2.5, raise: false });
  });

  it('both thresholds are configuration', () => {
    const strict = { ...T, spikeFactor: 10, spikeMinCases: 2 };
    expect(readComplaintSpike({ observed: 5, trailing: 28, historyDays: 28 }, strict).raise).toBe(false);
    expect(readComplaintSpike({ observed: 2, trailing: 0, historyDays: 28 }, strict).raise).toBe(true);
  });

  it('a merchant with no history has baseline 0: the minimum count alone decides; the score divides by 1/28 a day', () => {
    expect(readComplaintSpike({ observed: 5, trailing: 0, historyDays: 0 }, T)).toEqual({ observed: 5, baseline: 0, score: 140, raise: true, hold: true });
    expect(readComplaintSpike({ observed: 4, trailing: 0, historyDays: 0 }, T).raise).toBe(false);
  });

  it('a young merchant’s mean is over the days it has been seen, not diluted over 28 (2 cases/day for 3 days: 5 are no spike)', () => {
    expect(dailyMean(6, 3)).toBe(2);
    expect(dailyMean(6, 28)).toBeCloseTo(0.2143, 4);
    expect(readComplaintSpike({ observed: 5, trailing: 6, historyDays: 3 }, T).raise).toBe(false);
    expect(readComplaintSpike({ observed: 6, trailing: 6, historyDays: 3 }, T).raise).toBe(true);
  });

  it('hysteresis: once raised it holds down to 80 % of both thresholds (4 cases, 2.4× the mean) and lets go below', () => {
    expect(readComplaintSpike({ observed: 4, trailing: 28, historyDays: 28 }, T)).toMatchObject({ raise: false, hold: true });
    expect(readComplaintSpike({ observed: 3, trailing: 28, historyDays: 28 }, T)).toMatchObject({ raise: false, hold: false });
    expect(readComplaintSpike({ observed: 5, trailing: 60, historyDays: 28 }, T)).toMatchObject({ raise: false, hold: false }); // 2.33× < 2.4×
  });
});

describe('NEGATIVE_SENTIMENT_SURGE: share of NEGATIVE triage in 24 h against the baseline share', () => {
  it('raises at ≥ 50 % negative over ≥ 5 triaged cases and ≥ 1.5× the baseline share', () => {
    expect(readSentimentSurge({ windowHits: 4, windowTotal: 5, baselineHits: 10, baselineTotal: 50 }, T)).toEqual({
      observed: 0.8,
      baseline: 0.2,
      score: 4,
      raise: true,
      hold: true,
    });
  });

  it('a merchant usually this negative is no surge (0.8 against 0.6 is 1.33×)', () => {
    expect(readSentimentSurge({ windowHits: 4, windowTotal: 5, baselineHits: 30, baselineTotal: 50 }, T).raise).toBe(false);
  });

  it('too few triaged cases raise nothing, whatever the share', () => {
    expect(readSentimentSurge({ windowHits: 4, windowTotal: 4, baselineHits: 0, baselineTotal: 50 }, T).raise).toBe(false);
  });

  it('holds at 40 % negative over 4 cases once raised, clears below', () => {
    expect(readSentimentSurge({ windowHits: 2, windowTotal: 5, baselineHits: 10, baselineTotal: 100 }, T)).toMatchObject({ raise: false, hold: true });
    expect(readSentimentSurge({ windowHits: 1, windowTotal: 5, baselineHits: 10, baselineTotal: 100 }, T)).toMatchObject({ raise: false, hold: false });
  });
});

describe('REPEAT_CONTACTS: repeat complaints (same customer and order) in 24 h', () => {
  it('raises at ≥ 3 and ≥ 2× the trailing mean, holds down to 80 %', () => {
    expect(readRepeatContacts({ observed: 3, trailing: 14, historyDays: 28 }, T)).toMatchObject({ observed: 3, baseline: 0.5, score: 6, raise: true });
    expect(readRepeatContacts({ observed: 2, trailing: 0, historyDays: 28 }, T)).toMatchObject({ raise: false, hold: false }); // 2 < 2.4
    expect(readRepeatContacts({ observed: 3, trailing: 56, historyDays: 28 }, T)).toMatchObject({ raise: false, hold: false }); // 3 < 3.2
  });
});

describe('SLA_BREACH_RATE: share of the SLA clocks ending in 24 h that breached', () => {
  it('raises at ≥ 20 % over ≥ 5 clocks; the baseline share is reported', () => {
    expect(readBreachRate({ windowHits: 2, windowTotal: 5, baselineHits: 1, baselineTotal: 20 }, T)).toEqual({
      observed: 0.4,
      baseline: 0.05,
      score: 8,
      raise: true,
      hold: true,
    });
    expect(readBreachRate({ windowHits: 2, windowTotal: 4, baselineHits: 0, baselineTotal: 0 }, T).raise).toBe(false);
    expect(readBreachRate({ windowHits: 1, windowTotal: 10, baselineHits: 0, baselineTotal: 0 }, T).raise).toBe(false);
  });

  it('a threshold from configuration', () => {
    expect(readBreachRate({ windowHits: 1, windowTotal: 10, baselineHits: 0, baselineTotal: 0 }, { ...T, breachRate: 0.1 }).raise).toBe(true);
  });
});
