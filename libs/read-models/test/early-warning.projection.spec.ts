/**
 * The early-warning read model and its watch on each store: a spike of one merchant's cases raises its signals
 * once, a quiet period clears them, redelivered events change nothing, and a rebuild from the store gives the
 * same signals. Cases are opened through the real API; the watch ticks at the test clock's time.
 */
import request from 'supertest';
import type { EarlyWarningTickReport } from '../src';
import {
  EarlyWarningProjection,
  EarlyWarningWatch,
  FEED_SOURCE,
  ProjectionRunner,
  fromStoredEvent,
  readRaisedSignals,
  rebuildProjection,
  tableOnlyDeadLetters,
} from '../src';
import { DEFAULT_EARLY_WARNING_THRESHOLDS } from '@aftersales/early-warning';
import type { ApiUnderTest } from '../../../test/harness/api-under-test';
import { bearer, openCaseBody, startApi } from '../../../test/harness/api-under-test';
import { forEachStore } from '../../../test/harness/store-matrix';

const DAY = 86_400_000;
const T = Date.parse('2026-03-10T09:00:00.000Z');
const iso = (ms: number) => new Date(ms).toISOString();

forEachStore('Early-warning projection and watch', (openStorage) => {
  let api: ApiUnderTest;
  let n = 0;
  beforeEach(async () => {
    api = await startApi(await openStorage());
  });
  afterEach(async () => api.close());

  async function openCase(merchantId: string, at: number) {
    api.clock.set(iso(at));
    n += 1;
    await request(api.http)
      .post('/cases')
      .set(bearer('service'))
      .send(openCaseBody({ merchantId, orderId: `ord-ew-${n}`, customerId: `cust-ew-${n}`, description: 'The shoes are one size too small.' }))
      .expect(201);
  }

  const tick = async (at: number): Promise<EarlyWarningTickReport> => {
    api.clock.set(iso(at));
    await api.background.catchUp();
    return api.background.earlyWarning.tick();
  };
  const spikes = async () => readRaisedSignals(api.storage.readModels, { kind: 'COMPLAINT_SPIKE' });
  const signalEvents = async () =>
    (await api.store.readAll({ maxCount: 100_000 }))
      .filter((e) => e.streamId.startsWith('early-warning-COMPLAINT_SPIKE'))
      .map((e) => `${e.type} ${e.streamId}`);
  const signalRows = async () =>
    (
      await api.storage.readModels.query(
        'SELECT signal_key, kind, merchant_id, revision, active, data, since, cleared_at FROM rm_early_warning_signals ORDER BY signal_key',
      )
    ).rows;

  /** A week of one case a day, then `today` cases in the last hours before T. */
  async function history(today: number) {
    for (let d = 7; d >= 1; d--) await openCase('m-spike', T - d * DAY);
    for (let i = 0; i < today; i++) await openCase('m-spike', T - (today - i) * 60_000);
    await openCase('m-calm', T - 2 * 60_000);
  }

  it('a spike raises the merchant and SKU signals once; a quiet period clears them; redelivery and rebuild change nothing', async () => {
    await history(3);
    expect((await tick(T)).raised.filter((k) => k.startsWith('COMPLAINT_SPIKE'))).toEqual([]); // 3 cases: below the minimum of 5

    for (let i = 0; i < 3; i++) await openCase('m-spike', T + (i + 1) * 60_000);
    const at = T + 10 * 60_000;
    const report = await tick(at);
    expect(report.raised.filter((k) => k.startsWith('COMPLAINT_SPIKE')).sort()).toEqual(['COMPLAINT_SPIKE:m=m-spike', 'COMPLAINT_SPIKE:m=m-spike:sku=SHOE-42']);
    await api.background.catchUp();
    // 6 cases in 24 h against a mean of 1 a day over the 7 days the merchant has been seen: 6×.
    expect(await spikes()).toEqual([
      { kind: 'COMPLAINT_SPIKE', scope: { merchantId: 'm-spike' }, window: 'PT24H', observed: 6, baseline: 1, score: 6, since: iso(at) },
      { kind: 'COMPLAINT_SPIKE', scope: { merchantId: 'm-spike', sku: 'SHOE-42' }, window: 'PT24H', observed: 6, baseline: 1, score: 6, since: iso(at) },
    ]);

    // Ticking on: no second Raised, neither after the view caught up nor before (the append at a stale revision is refused).
    await api.background.earlyWarning.tick();
    await api.background.catchUp();
    expect((await tick(at + 60_000)).raised.filter((k) => k.startsWith('COMPLAINT_SPIKE'))).toEqual([]);
    expect(await signalEvents()).toEqual([
      'EarlyWarningRaised early-warning-COMPLAINT_SPIKE:m=m-spike',
      'EarlyWarningRaised early-warning-COMPLAINT_SPIKE:m=m-spike:sku=SHOE-42',
    ]);

    // Redelivery: the whole feed again, from another source too, is skipped by the per-stream revisions.
    const before = await signalRows();
    const cases = async () => (await api.storage.readModels.query<{ n: string }>('SELECT count(*) AS n FROM rm_early_warning_cases')).rows[0].n;
    const caseCount = await cases();
    const runner = new ProjectionRunner(api.storage.readModels, new EarlyWarningProjection(), tableOnlyDeadLetters);
    const feed = (await api.store.readAll({ maxCount: 100_000 })).map((e) => ({ position: e.position, event: fromStoredEvent(e) }));
    expect((await runner.process(FEED_SOURCE, feed)).applied).toBe(0);
    expect((await runner.process('kafka:redelivered', feed)).applied).toBe(0);
    expect(await signalRows()).toEqual(before);
    expect(await cases()).toBe(caseCount);

    // A quiet period: 25 hours without a case. The tick alone clears both signals, once.
    const quiet = at + 25 * 3_600_000;
    expect((await tick(quiet)).cleared.filter((k) => k.startsWith('COMPLAINT_SPIKE')).sort()).toEqual([
      'COMPLAINT_SPIKE:m=m-spike',
      'COMPLAINT_SPIKE:m=m-spike:sku=SHOE-42',
    ]);
    expect((await tick(quiet + 60_000)).cleared).toEqual([]);
    await api.background.catchUp();
    expect(await spikes()).toEqual([]);
    const cleared = (await api.store.readStream('early-warning-COMPLAINT_SPIKE:m=m-spike')).map((e) => [
      e.type,
      e.revision,
      (e.data as { clearedAt?: string }).clearedAt,
    ]);
    expect(cleared).toEqual([
      ['EarlyWarningRaised', 0, undefined],
      ['EarlyWarningCleared', 1, iso(quiet)],
    ]);

    // Rebuild from the store: the same signal rows, the same raised signals.
    const settled = await signalRows();
    const progress = await rebuildProjection(api.storage.readModels, api.store, new EarlyWarningProjection(), tableOnlyDeadLetters);
    expect(progress.state).toBe('done');
    expect(await signalRows()).toEqual(settled);
    expect(await cases()).toBe(caseCount);
  });

  it('two watches ticking at once raise a signal once: the second append is refused and decided again on fresh state', async () => {
    await history(6);
    api.clock.set(iso(T));
    await api.background.catchUp();
    const other = new EarlyWarningWatch(api.storage.readModels, api.store, api.clock, DEFAULT_EARLY_WARNING_THRESHOLDS);
    const [a, b] = await Promise.all([api.background.earlyWarning.tick(), other.tick()]);
    const raised = [...a.raised, ...b.raised].filter((k) => k === 'COMPLAINT_SPIKE:m=m-spike');
    expect(raised).toEqual(['COMPLAINT_SPIKE:m=m-spike']);
    expect(a.superseded + b.superseded).toBeGreaterThanOrEqual(1);
    expect(a.failed + b.failed).toBe(0);
    expect((await api.store.readStream('early-warning-COMPLAINT_SPIKE:m=m-spike')).map((e) => e.type)).toEqual(['EarlyWarningRaised']);
  });

  it('every kind from real events: negative triage, repeat complaints about one order, and SLA breaches raise their signals', async () => {
    const open = async (over: Record<string, unknown>) => {
      await request(api.http)
        .post('/cases')
        .set(bearer('service'))
        .send(openCaseBody({ merchantId: 'm-bad', ...over }))
        .expect(201);
      await api.background.catchUp(); // the loyalty view knows the earlier cases, so triage sees a repeat complaint
    };
    api.clock.set(iso(T));
    const angry = {
      reason: 'Broken on arrival',
      description: 'Terrible quality, it broke on the first day. I am very angry and disappointed, worst purchase ever.',
    };
    for (let i = 0; i < 5; i++) await open({ ...angry, orderId: 'ord-same', customerId: 'cust-same' });
    // HIGH priority: first response due in 4 h. Five hours later the SLA watch records five breaches.
    api.clock.set(iso(T + 5 * 3_600_000));
    await api.background.catchUp();
    expect((await api.background.slaWatch.tick()).recorded).toHaveLength(5);
    const report = await tick(T + 5 * 3_600_000);
    expect(report.raised.filter((k) => !k.startsWith('COMPLAINT_SPIKE')).sort()).toEqual([
      'NEGATIVE_SENTIMENT_SURGE:m=m-bad',
      'REPEAT_CONTACTS:m=m-bad',
      'SLA_BREACH_RATE:m=m-bad',
    ]);
    await api.background.catchUp();
    const signals = await readRaisedSignals(api.storage.readModels, { merchantId: 'm-bad' });
    expect(signals.map((s) => [s.kind, s.observed, s.baseline])).toEqual([
      ['COMPLAINT_SPIKE', 5, 0],
      ['COMPLAINT_SPIKE', 5, 0],
      ['NEGATIVE_SENTIMENT_SURGE', 1, 0],
      ['REPEAT_CONTACTS', 4, 0],
      ['SLA_BREACH_RATE', 1, 0],
    ]);
  });
});
