/** Evaluation over time: given the signals raised so far and counts at `now`, then the raise and clear decisions. */
import type { ScopedMeasurement, SignalStreamState } from '../src';
import { DEFAULT_EARLY_WARNING_THRESHOLDS as T, evaluateSignals, foldSignalStream, hysteresis, signalKey, signalStreamId } from '../src';

const NOW = new Date('2026-03-10T12:00:00.000Z');
const LATER = new Date('2026-03-11T13:00:00.000Z');
const spike = (observed: number, merchantId = 'm1', sku?: string): ScopedMeasurement => ({
  kind: 'COMPLAINT_SPIKE',
  scope: sku ? { merchantId, sku } : { merchantId },
  counts: { observed, trailing: 28, historyDays: 28 },
});

function raisedBy(decisions: ReturnType<typeof evaluateSignals>): Map<string, SignalStreamState> {
  return new Map(decisions.map(({ decision }) => [decision.key, foldSignalStream([{ type: 'EarlyWarningRaised', data: decision.data }])]));
}

describe('Evaluating signals at a moment', () => {
  it('a spike is raised with the spec shape: kind, scope, window, observed, baseline, score, since = now', () => {
    const decisions = evaluateSignals([spike(6), spike(1, 'm2')], new Map(), T, NOW);
    expect(decisions.map((d) => d.decision)).toEqual([
      {
        action: 'raise',
        key: 'COMPLAINT_SPIKE:m=m1',
        data: {
          signalKey: 'COMPLAINT_SPIKE:m=m1',
          kind: 'COMPLAINT_SPIKE',
          scope: { merchantId: 'm1' },
          window: 'PT24H',
          observed: 6,
          baseline: 1,
          score: 6,
          since: NOW.toISOString(),
        },
      },
    ]);
  });

  it('a raised signal is not raised again while it holds', () => {
    const raised = raisedBy(evaluateSignals([spike(6)], new Map(), T, NOW));
    expect(evaluateSignals([spike(6)], raised, T, LATER)).toEqual([]);
    expect(evaluateSignals([spike(4)], raised, T, LATER)).toEqual([]); // below the raise threshold, above the hold
  });

  it('it clears when the measure falls below the hold thresholds, keeping since = when it was raised', () => {
    const raised = raisedBy(evaluateSignals([spike(6)], new Map(), T, NOW));
    const [cleared] = evaluateSignals([spike(2)], raised, T, LATER).map((d) => d.decision);
    expect(cleared).toEqual({
      action: 'clear',
      key: 'COMPLAINT_SPIKE:m=m1',
      data: expect.objectContaining({ observed: 2, since: NOW.toISOString(), clearedAt: LATER.toISOString() }),
    });
  });

  it('a quiet period clears it: a raised signal whose scope has nothing left to measure', () => {
    const raised = raisedBy(evaluateSignals([spike(6, 'm1', 'SHOE-42')], new Map(), T, NOW));
    const decisions = evaluateSignals([], raised, T, LATER).map((d) => d.decision);
    expect(decisions).toEqual([
      {
        action: 'clear',
        key: 'COMPLAINT_SPIKE:m=m1:sku=SHOE-42',
        data: expect.objectContaining({ observed: 0, baseline: 0, scope: { merchantId: 'm1', sku: 'SHOE-42' } }),
      },
    ]);
  });

  it('hysteresis does not flap: a measure hovering between hold and raise thresholds changes nothing either way', () => {
    const series = [6, 4, 5, 4, 4, 5, 4];
    let raised = new Map<string, SignalStreamState>();
    const actions: string[] = [];
    for (const observed of series) {
      for (const { decision } of evaluateSignals([spike(observed)], raised, T, NOW)) {
        actions.push(decision.action);
        raised = decision.action === 'raise' ? raisedBy([{ measurement: spike(observed), decision }]) : new Map();
      }
    }
    expect(actions).toEqual(['raise']);
    expect(hysteresis(false, { raise: false, hold: true })).toBe('keep');
    expect(hysteresis(true, { raise: false, hold: true })).toBe('keep');
    expect(hysteresis(true, { raise: false, hold: false })).toBe('clear');
  });

  it('every kind is evaluated: sentiment, repeat contacts and breach rate raise on their own counts', () => {
    const decisions = evaluateSignals(
      [
        { kind: 'NEGATIVE_SENTIMENT_SURGE', scope: { merchantId: 'm1' }, counts: { windowHits: 5, windowTotal: 6, baselineHits: 0, baselineTotal: 0 } },
        { kind: 'REPEAT_CONTACTS', scope: { merchantId: 'm1' }, counts: { observed: 3, trailing: 0, historyDays: 0 } },
        { kind: 'SLA_BREACH_RATE', scope: { merchantId: 'm1' }, counts: { windowHits: 3, windowTotal: 5, baselineHits: 0, baselineTotal: 10 } },
      ],
      new Map(),
      T,
      NOW,
    );
    expect(decisions.map((d) => [d.decision.action, d.decision.key, d.decision.data.observed])).toEqual([
      ['raise', 'NEGATIVE_SENTIMENT_SURGE:m=m1', 0.8333],
      ['raise', 'REPEAT_CONTACTS:m=m1', 3],
      ['raise', 'SLA_BREACH_RATE:m=m1', 0.6],
    ]);
  });
});

describe('Signal keys and streams', () => {
  it('one key per kind and scope; separators in ids cannot make two scopes meet', () => {
    expect(signalKey('COMPLAINT_SPIKE', { merchantId: 'a:sku=b' })).not.toBe(signalKey('COMPLAINT_SPIKE', { merchantId: 'a', sku: 'b' }));
    expect(signalStreamId(signalKey('SLA_BREACH_RATE', { merchantId: 'merch 9' }))).toBe('early-warning-SLA_BREACH_RATE:m=merch%209');
  });

  it('the stream fold: raised after EarlyWarningRaised, not after EarlyWarningCleared; revision counts events', () => {
    const data = { signalKey: 'k', kind: 'COMPLAINT_SPIKE', scope: {}, window: 'PT24H', observed: 5, baseline: 0, score: 140, since: NOW.toISOString() };
    expect(foldSignalStream([])).toEqual({ revision: -1 });
    expect(foldSignalStream([{ type: 'EarlyWarningRaised', data }])).toEqual({ revision: 0, raised: data });
    expect(
      foldSignalStream([
        { type: 'EarlyWarningRaised', data },
        { type: 'EarlyWarningCleared', data },
      ]),
    ).toEqual({ revision: 1 });
  });
});
