/**
 * The three views on the embedded transport (projectors reading the store's feed), with figures computed by
 * hand in the comments. The same reducers run behind Kafka (see the Kafka integration suite).
 */
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import type { ApiUnderTest } from '../../../test/harness/api-under-test';
import { bearer, startApi } from '../../../test/harness/api-under-test';
import { forEachStore } from '../../../test/harness/store-matrix';
import {
  EXPECTED_CUSTOMER_A,
  EXPECTED_IMPACT_AS_OF_LOYALTY,
  EXPECTED_SATISFACTION_BY_MERCHANT,
  LOYALTY_AS_OF,
  T0,
  ViewScenario,
  at,
} from '../../../test/fixtures/view-scenario';

forEachStore('Views', (openStorage) => {
  let api: ApiUnderTest;
  beforeEach(async () => {
    api = await startApi(await openStorage());
    api.clock.set(T0);
  });
  afterEach(async () => api.close());

  let story: ViewScenario;
  beforeEach(() => {
    story = new ViewScenario(api);
  });
  const open = (over: Record<string, unknown>) => story.open(over);
  const orders = (events: object[]) => story.orders(events);
  const fact = ViewScenario.fact;
  const view = (path: string) => story.view(path);
  async function scenario() {
    const ids = await story.run();
    await api.background.catchUp();
    return ids;
  }

  it('satisfaction by merchant: counts, CSAT, times (median, p90), FCR, reopen, complaint resolution, SLA compliance', async () => {
    await scenario();
    const { body } = await view('/views/satisfaction?groupBy=merchant');
    expect(body.groupBy).toBe('merchant');
    expect(body.groups).toEqual(EXPECTED_SATISFACTION_BY_MERCHANT);
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
    api.clock.set(LOYALTY_AS_OF); // 91 days after the cases closed
    const a = await view('/views/loyalty/customers/cust-A');
    expect(a.body).toEqual(EXPECTED_CUSTOMER_A);
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
    api.clock.set(LOYALTY_AS_OF);
    const { body } = await view('/views/loyalty/impact');
    expect(body).toMatchObject(EXPECTED_IMPACT_AS_OF_LOYALTY);
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
    expect([...first.recorded, ...second.recorded]).toEqual([{ caseId: c3, clock: 'FIRST_RESPONSE', events: ['SlaBreached', 'CaseEscalated'] }]);
    expect((await api.background.slaWatch.tick()).recorded).toEqual([]);

    api.clock.set(at(12 * 60 + 1));
    await api.background.catchUp();
    await api.background.slaWatch.tick();
    await api.background.catchUp();
    esc = await request(api.http).get('/views/escalation?level=L2').set(bearer('agent')).expect(200);
    expect(esc.body.cases).toEqual([expect.objectContaining({ caseId: c3, level: 'L2', recordedBreaches: ['FIRST_RESPONSE', 'RESOLUTION'] })]);
    const metrics = (await request(api.http).get('/metrics').set(bearer('admin')).expect(200)).text;
    expect(metrics).toContain('aftersales_sla_breaches_total{clock="FIRST_RESPONSE"} 1');
    expect(metrics).toContain('aftersales_sla_breaches_total{clock="RESOLUTION"} 1');
    expect(metrics).toContain('aftersales_events_appended_total{category="case",type="SlaWarningIssued"} 1');

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
      [
        {
          eventId: randomUUID(),
          type: 'CaseOpened',
          schemaVersion: 1,
          data: { note: 'no fields at all' },
          metadata: { occurredAt: T0, actor: { type: 'service', id: 'x' }, correlationId: 'c', causationId: 'c' },
        },
      ],
      'no_stream',
    );
    const good = await open({ customerId: 'cust-E', merchantId: 'm3' });
    await api.background.catchUp();
    const esc = await request(api.http).get('/views/escalation?merchantId=m3').set(bearer('agent')).expect(200);
    expect(esc.body.cases.map((e: { caseId: string }) => e.caseId)).toEqual([good]);
    const letters = await api.storage.readModels.query<{ projection: string; error: string }>(
      'SELECT projection, error FROM projection_dead_letters ORDER BY projection',
    );
    expect(letters.rows.map((r) => r.projection)).toEqual(['early-warning', 'escalation', 'loyalty', 'satisfaction']);
    expect(letters.rows[0].error).toContain('CaseOpened lacks');
  });

  it('a process told to run only the loyalty projector (WORKERS=loyalty) fills that view and no other', async () => {
    const loyaltyOnly = await startApi(await openStorage(), { workers: { relay: false, projections: ['loyalty'], orderIntake: false, slaWatch: false } });
    try {
      loyaltyOnly.clock.set(T0);
      await new ViewScenario(loyaltyOnly).run();
      await loyaltyOnly.background.catchUp();
      const loyalty = await loyaltyOnly.storage.readModels.query<{ n: string }>('SELECT count(*) AS n FROM rm_loyalty_cases');
      expect(Number(loyalty.rows[0].n)).toBe(3);
      const others = await loyaltyOnly.storage.readModels.query<{ e: string | null; s: string | null }>(
        "SELECT to_regclass('rm_escalation_cases')::text AS e, to_regclass('rm_satisfaction_cases')::text AS s",
      );
      expect(others.rows[0]).toEqual({ e: null, s: null }); // never even created here
    } finally {
      await loyaltyOnly.close();
    }
  });

  it('refuses unknown view parameters and the wrong roles', async () => {
    const bad = await request(api.http).get('/views/satisfaction?groupBy=planet&colour=red').set(bearer('analyst')).expect(400);
    expect(bad.body.fields.map((f: { field: string }) => f.field).sort()).toEqual(['colour', 'groupBy']);
    await request(api.http).get('/views/satisfaction').set(bearer('agent')).expect(403);
    await request(api.http).get('/views/escalation').set(bearer('service')).expect(403);
    await request(api.http).get('/views/loyalty/impact').set(bearer('auditor')).expect(403);
  });
});
