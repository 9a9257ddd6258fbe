/**
 * The three views on the embedded transport (projectors reading the store's feed), with figures computed by
 * hand in the comments. The same reducers run behind Kafka (see the Kafka integration suite).
 */
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import type { ApiUnderTest } from '../../../test/harness/api-under-test';
import { bearer, openCaseBody, startApi } from '../../../test/harness/api-under-test';
import { forEachStore } from '../../../test/harness/store-matrix';

const T0 = '2026-03-02T09:00:00.000Z';
const at = (minutes: number) => new Date(Date.parse(T0) + minutes * 60_000).toISOString();

forEachStore('Views', (openStorage) => {
  let api: ApiUnderTest;
  beforeEach(async () => {
    api = await startApi(await openStorage());
    api.clock.set(T0);
  });
  afterEach(async () => api.close());

  const open = async (over: Record<string, unknown>) =>
    (await request(api.http).post('/cases').set(bearer('service')).send(openCaseBody(over)).expect(201)).body.caseId as string;
  const act = async (id: string, action: string, body: object = {}, minute?: number, role: 'agent' | 'service' = 'agent') => {
    if (minute !== undefined) api.clock.set(at(minute));
    const res = await request(api.http).post(`/cases/${id}/${action}`).set(bearer(role)).send(body);
    expect({ action, status: res.status, body: res.status === 200 ? 'ok' : res.body }).toEqual({ action, status: 200, body: 'ok' });
  };
  const orders = (events: object[]) => request(api.http).post('/order-events').set(bearer('service')).send({ events });
  const fact = (type: string, orderId: string, customerId: string, occurredAt: string, amount?: number) => ({
    eventId: `${orderId}-${type}`,
    type,
    orderId,
    customerId,
    merchantId: 'm1',
    occurredAt,
    ...(amount !== undefined ? { amount, currency: 'EUR' } : {}),
  });
  const view = (path: string) => request(api.http).get(path).set(bearer('analyst')).expect(200);

  /** Case 1 (cust-A, m1): resolved with a refund; case 2 (cust-B, m1): a complaint rejected, rated 2; case 3 (cust-C, m2): untouched. */
  async function scenario() {
    await orders([
      fact('OrderPlaced', 'A1', 'cust-A', '2026-02-01T10:00:00Z', 100),
      fact('OrderPaid', 'A1', 'cust-A', '2026-02-01T10:05:00Z'),
      fact('OrderDelivered', 'A1', 'cust-A', '2026-02-05T10:00:00Z'),
      fact('OrderPlaced', 'B1', 'cust-B', '2026-02-10T10:00:00Z', 80),
      fact('OrderPaid', 'B1', 'cust-B', '2026-02-10T10:01:00Z'),
    ]).expect(200);
    const c1 = await open({ customerId: 'cust-A', merchantId: 'm1', orderId: 'A1', type: 'RETURN', channel: 'WEB', priority: 'HIGH', items: [{ sku: 'X', quantity: 1, amount: 100 }] });
    const c2 = await open({ customerId: 'cust-B', merchantId: 'm1', orderId: 'B1', type: 'COMPLAINT', channel: 'PHONE', priority: 'NORMAL' });
    const c3 = await open({ customerId: 'cust-C', merchantId: 'm2', orderId: 'C1', type: 'REPAIR', channel: 'APP', priority: 'URGENT', customerTier: 'GOLD' });
    await act(c1, 'acknowledge', {}, 30); // first response 30 min
    await act(c1, 'assign', { agentId: 'agent-1', team: 'returns' }, 35);
    await act(c2, 'acknowledge', {}, 60); // first response 60 min
    await act(c2, 'assign', { agentId: 'agent-2', team: 'complaints' }, 61);
    await act(c1, 'propose-resolution', { kind: 'REFUND', currency: 'EUR' }, 70);
    await act(c1, 'accept-resolution', {}, 80, 'service');
    await act(c1, 'issue-refund', { amount: 100, currency: 'EUR' }, 100);
    await act(c1, 'resolve', { summary: 'Refunded' }, 120); // resolution 120 min
    await act(c2, 'request-info', { message: 'Order number?' }, 120); // paused 60 min
    await act(c2, 'customer-message', { message: 'B1' }, 180, 'service');
    await act(c2, 'reject', { reasonCode: 'NOT_COVERED' }, 240);
    await act(c1, 'record-satisfaction', { score: 5, nps: 9 }, 150, 'service');
    await act(c1, 'close', {}, 180); // closure of case 1 at 12:00
    await act(c2, 'close', {}, 300); // closure of case 2 at 14:00
    await act(c2, 'record-satisfaction', { score: 2 }, 310, 'service');
    await orders([fact('OrderPlaced', 'A2', 'cust-A', '2026-03-20T10:00:00Z', 50), fact('OrderPaid', 'A2', 'cust-A', '2026-03-20T10:01:00Z')]).expect(200);
    await api.background.catchUp();
    return { c1, c2, c3 };
  }

  it('satisfaction by merchant: counts, CSAT, times (median, p90), FCR, reopen, complaint resolution, SLA compliance', async () => {
    await scenario();
    const { body } = await view('/views/satisfaction?groupBy=merchant');
    expect(body.groupBy).toBe('merchant');
    expect(body.groups).toEqual([
      {
        key: 'm1',
        cases: 2,
        rated: 2,
        meanCsat: 3.5, // (5 + 2) / 2
        satisfiedShare: 0.5, // one of two rated 4-5
        meanNps: 9,
        firstResponseMinutes: { median: 45, p90: 57 }, // [30, 60]: 30 + 0.9 × 30
        resolutionMinutes: { median: 120, p90: 120 }, // only case 1 resolved
        firstContactResolutionRate: 1, // case 1: no reopen, no info request, no agent message
        reopenRate: 0,
        complaintResolutionRate: 0, // the complaint ended rejected
        slaCompliance: 1, // both met their first response; case 1 resolved in time
      },
      {
        key: 'm2',
        cases: 1,
        rated: 0,
        meanCsat: null,
        satisfiedShare: null,
        meanNps: null,
        firstResponseMinutes: { median: null, p90: null },
        resolutionMinutes: { median: null, p90: null },
        firstContactResolutionRate: null,
        reopenRate: null,
        complaintResolutionRate: null,
        slaCompliance: null, // still open, nothing recorded as breached yet
      },
    ]);
    const byTeam = await view('/views/satisfaction?groupBy=team&merchantId=m1');
    expect(byTeam.body.groups.map((g: { key: string; meanCsat: number }) => [g.key, g.meanCsat])).toEqual([
      ['complaints', 2],
      ['returns', 5],
    ]);
    const byDay = await view('/views/satisfaction?groupBy=day&from=2026-03-02&to=2026-03-02');
    expect(byDay.body.groups).toEqual([expect.objectContaining({ key: '2026-03-02', cases: 3 })]);
  });

  it('loyalty per customer: orders, spend, cases, CSAT, points, tier, repurchase, churn risk', async () => {
    await scenario();
    api.clock.set('2026-06-01T09:00:00.000Z'); // 91 days after the cases closed
    const a = await view('/views/loyalty/customers/cust-A');
    expect(a.body).toEqual({
      customerId: 'cust-A',
      asOf: '2026-06-01T09:00:00.000Z',
      orders: { count: 2, cancelled: 0, spend: { EUR: 150 }, lastOrderedAt: '2026-03-20T10:00:00.000Z' },
      cases: { total: 1, byOutcome: { OPEN: 0, RESOLVED: 1, REJECTED: 0, WITHDRAWN: 0 } },
      meanCsat: 5,
      points: { total: 160, orders: 150, compensation: 0, feedback: 10 }, // 100 + 50 paid, 10 for feedback
      tier: 'STANDARD',
      repurchaseAfterCase: { closedCases: 1, repurchased: 1, rate: 1 }, // A2 on 20 March, within 90 days of 2 March
      churnRisk: { level: 'LOW', reasons: [] },
    });
    const b = await view('/views/loyalty/customers/cust-B');
    expect(b.body).toMatchObject({
      orders: { count: 1, spend: { EUR: 80 } },
      cases: { total: 1, byOutcome: { REJECTED: 1 } },
      meanCsat: 2,
      points: { total: 90, orders: 80, compensation: 0, feedback: 10 },
      repurchaseAfterCase: { closedCases: 1, repurchased: 0, rate: 0 },
      churnRisk: { level: 'HIGH', reasons: ['LOW_SATISFACTION', 'CASE_REJECTED', 'NO_REPURCHASE_AFTER_CASE'] },
    });
    await request(api.http).get('/views/loyalty/customers/nobody').set(bearer('analyst')).expect(404);
  });

  it('loyalty impact: repurchase rate by outcome and CSAT band, counting only cases whose window is over or repurchased', async () => {
    await scenario();
    const early = await view('/views/loyalty/impact'); // 14:10 on 2 March: case 2's window is still open
    expect(early.body).toMatchObject({ windowDays: 90, eligibleCases: 1, overall: { cases: 1, repurchased: 1, rate: 1 } });
    api.clock.set('2026-06-01T09:00:00.000Z');
    const { body } = await view('/views/loyalty/impact');
    expect(body).toMatchObject({
      eligibleCases: 2,
      overall: { cases: 2, repurchased: 1, rate: 0.5 },
      byOutcome: {
        RESOLVED: { cases: 1, repurchased: 1, rate: 1 },
        REJECTED: { cases: 1, repurchased: 0, rate: 0 },
        WITHDRAWN: { cases: 0, repurchased: 0, rate: null },
      },
      byCsatBand: {
        HIGH: { cases: 1, repurchased: 1, rate: 1 },
        LOW: { cases: 1, repurchased: 0, rate: 0 },
        NEUTRAL: { cases: 0, repurchased: 0, rate: null },
        NONE: { cases: 0, repurchased: 0, rate: null },
      },
    });
    const m2 = await view('/views/loyalty/impact?merchantId=m2');
    expect(m2.body.eligibleCases).toBe(0);
  });

  it('escalation view and the SLA watch: at risk, breached, escalated once by the system even with two watchers', async () => {
    const c3 = await open({ customerId: 'cust-C', merchantId: 'm2', type: 'REPAIR', channel: 'APP', priority: 'URGENT', customerTier: 'GOLD' });
    // URGENT halved for GOLD: first response due in 30 min, resolution in 12 h.
    await api.background.catchUp();
    api.clock.set(at(20));
    let esc = await request(api.http).get('/views/escalation').set(bearer('agent')).expect(200);
    expect(esc.body).toMatchObject({ total: 1, atRisk: [], breached: [] });
    expect(esc.body.cases[0]).toMatchObject({ caseId: c3, level: 'L0', firstResponse: { dueAt: at(30), msLeft: 10 * 60_000 } });

    api.clock.set(at(25)); // 25 of 30 minutes: past the 75 % warning point
    esc = await request(api.http).get('/views/escalation?state=at-risk').set(bearer('agent')).expect(200);
    expect(esc.body.atRisk.map((e: { caseId: string }) => e.caseId)).toEqual([c3]);
    expect((await api.background.slaWatch.tick()).recorded).toEqual([{ caseId: c3, clock: 'FIRST_RESPONSE', events: ['SlaWarningIssued'] }]);

    api.clock.set(at(31));
    await api.background.catchUp();
    esc = await request(api.http).get('/views/escalation?state=breached').set(bearer('analyst')).expect(200);
    expect(esc.body.breached.map((e: { caseId: string }) => e.caseId)).toEqual([c3]);
    const [first, second] = await Promise.all([api.background.slaWatch.tick(), api.background.slaWatch.tick()]);
    expect([...first.recorded, ...second.recorded]).toEqual([
      { caseId: c3, clock: 'FIRST_RESPONSE', events: ['SlaBreached', 'CaseEscalated'] },
    ]);
    expect((await api.background.slaWatch.tick()).recorded).toEqual([]);

    api.clock.set(at(12 * 60 + 1));
    await api.background.catchUp();
    await api.background.slaWatch.tick();
    await api.background.catchUp();
    esc = await request(api.http).get('/views/escalation?level=L2').set(bearer('agent')).expect(200);
    expect(esc.body.cases).toEqual([expect.objectContaining({ caseId: c3, level: 'L2', recordedBreaches: ['FIRST_RESPONSE', 'RESOLUTION'] })]);

    const history = await request(api.http).get(`/cases/${c3}/events`).set(bearer('auditor')).expect(200);
    const escalations = history.body.filter((e: { type: string }) => ['SlaWarningIssued', 'SlaBreached', 'CaseEscalated'].includes(e.type));
    expect(escalations.map((e: { type: string; actor: { type: string }; data: { level?: string } }) => [e.type, e.actor.type, e.data.level])).toEqual([
      ['SlaWarningIssued', 'system', undefined],
      ['SlaBreached', 'system', undefined],
      ['CaseEscalated', 'system', 'L1'],
      ['SlaBreached', 'system', undefined], // the watch did not look between 9 h (warning point) and the breach

      ['CaseEscalated', 'system', 'L2'],
    ]);
  });

  it('order facts: duplicates ignored, a malformed record reported with its problems, the rest go on', async () => {
    const res = await orders([
      fact('OrderPlaced', 'D1', 'cust-D', '2026-02-01T10:00:00Z', 30),
      { eventId: 'bad-1', type: 'OrderTeleported', orderId: 'D2', customerId: 'cust-D', merchantId: 'm1', occurredAt: 'yesterday', extra: 1 },
      fact('OrderPlaced', 'D1', 'cust-D', '2026-02-01T10:00:00Z', 30),
      { ...fact('OrderPlaced', 'D3', 'cust-D', '2026-02-02T10:00:00Z'), amount: undefined },
      fact('OrderPaid', 'D1', 'cust-D', '2026-02-01T10:02:00Z'),
    ]).expect(200);
    expect(res.body).toMatchObject({ accepted: 2, duplicates: 1, rejected: 2 });
    expect(res.body.results[1]).toMatchObject({ index: 1, status: 'rejected', eventId: 'bad-1' });
    expect(res.body.results[1].problems.map((p: { field: string }) => p.field).sort()).toEqual(['extra', 'occurredAt', 'type']);
    expect(res.body.results[3].problems.map((p: { field: string }) => p.field)).toEqual(['amount']);
    await api.background.catchUp();
    const d = await view('/views/loyalty/customers/cust-D');
    expect(d.body.orders).toMatchObject({ count: 1, spend: { EUR: 30 } });
    expect(d.body.points.orders).toBe(30);
    await request(api.http).post('/order-events').set(bearer('agent')).send({ events: [] }).expect(403);
    const empty = await request(api.http).post('/order-events').set(bearer('service')).send({ events: [] }).expect(400);
    expect(empty.body.fields[0].field).toBe('events');
  });

  it('a poison event is dead-lettered and the projectors go on', async () => {
    const poisoned = `case-${randomUUID()}`;
    await api.store.append(
      poisoned,
      [{ eventId: randomUUID(), type: 'CaseOpened', schemaVersion: 1, data: { note: 'no fields at all' }, metadata: { occurredAt: T0, actor: { type: 'service', id: 'x' }, correlationId: 'c', causationId: 'c' } }],
      'no_stream',
    );
    const good = await open({ customerId: 'cust-E', merchantId: 'm3' });
    await api.background.catchUp();
    const esc = await request(api.http).get('/views/escalation?merchantId=m3').set(bearer('agent')).expect(200);
    expect(esc.body.cases.map((e: { caseId: string }) => e.caseId)).toEqual([good]);
    const letters = await api.storage.readModels.query<{ projection: string; error: string }>(
      'SELECT projection, error FROM projection_dead_letters ORDER BY projection',
    );
    expect(letters.rows.map((r) => r.projection)).toEqual(['escalation', 'loyalty', 'satisfaction']);
    expect(letters.rows[0].error).toContain('CaseOpened lacks');
  });

  it('refuses unknown view parameters and the wrong roles', async () => {
    const bad = await request(api.http).get('/views/satisfaction?groupBy=planet&colour=red').set(bearer('analyst')).expect(400);
    expect(bad.body.fields.map((f: { field: string }) => f.field).sort()).toEqual(['colour', 'groupBy']);
    await request(api.http).get('/views/satisfaction').set(bearer('agent')).expect(403);
    await request(api.http).get('/views/escalation').set(bearer('service')).expect(403);
    await request(api.http).get('/views/loyalty/impact').set(bearer('auditor')).expect(403);
  });
});
