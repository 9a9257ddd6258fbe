/**
 * The loyalty view at work when a case opens (spec section 3): the tier comes from the view when it knows the
 * customer, else from the request, else STANDARD, recorded as tierSource; and the view's churn reasons for a
 * customer whose only orders were cancelled (spec section 6).
 */
import request from 'supertest';
import type { ApiUnderTest } from '../../../test/harness/api-under-test';
import { bearer, openCaseBody, startApi } from '../../../test/harness/api-under-test';
import { forEachStore } from '../../../test/harness/store-matrix';

forEachStore('HTTP: the tier at opening comes from the loyalty view', (openStorage) => {
  let api: ApiUnderTest;
  beforeAll(async () => {
    api = await startApi(await openStorage());
  });
  afterAll(async () => api.close());

  const fact = (type: string, orderId: string, customerId: string, occurredAt: string, amount?: number) => ({
    eventId: `${orderId}-${type}`,
    type,
    orderId,
    customerId,
    merchantId: 'm2',
    occurredAt,
    ...(amount !== undefined ? { amount, currency: 'CNY' } : {}),
  });

  it('given paid orders worth 6,000 points (GOLD), when a case is opened saying STANDARD, then it is GOLD from loyalty with halved targets', async () => {
    await request(api.http)
      .post('/order-events')
      .set(bearer('service'))
      .send({ events: [fact('OrderPlaced', 'G1', 'cust-gold', '2026-02-20T10:00:00Z', 6000), fact('OrderPaid', 'G1', 'cust-gold', '2026-02-20T10:05:00Z')] })
      .expect(200);
    await api.background.catchUp();
    api.clock.set('2026-03-02T09:00:00.000Z');
    const opened = await request(api.http)
      .post('/cases')
      .set(bearer('service'))
      .send(openCaseBody({ customerId: 'cust-gold', merchantId: 'm2', priority: 'HIGH', customerTier: 'STANDARD' }))
      .expect(201);
    // HIGH halved for GOLD: 2 h to respond, 24 h to resolve (24×7: m2 has no calendar).
    expect(opened.body.sla).toMatchObject({ firstResponseDueAt: '2026-03-02T11:00:00.000Z', resolutionDueAt: '2026-03-03T09:00:00.000Z' });
    const view = await request(api.http).get(`/cases/${opened.body.caseId}`).set(bearer('agent')).expect(200);
    expect(view.body).toMatchObject({ customerTier: 'GOLD', tierSource: 'loyalty' });
    const events = await request(api.http).get(`/cases/${opened.body.caseId}/events`).set(bearer('auditor')).expect(200);
    expect(events.body[0].data).toMatchObject({
      tier: { level: 'GOLD', source: 'loyalty' },
      sla: { firstResponseTargetMinutes: 120, resolutionTargetMinutes: 1440 },
    });
  });

  it('the tier at opening is the one the loyalty view shows, feedback points included: 4,990 order points + 10 for feedback make GOLD', async () => {
    await request(api.http)
      .post('/order-events')
      .set(bearer('service'))
      .send({ events: [fact('OrderPlaced', 'F1', 'cust-edge', '2026-02-20T10:00:00Z', 4990), fact('OrderPaid', 'F1', 'cust-edge', '2026-02-20T10:05:00Z')] })
      .expect(200);
    await api.background.catchUp();
    api.clock.set('2026-03-02T09:00:00.000Z');
    const first = await request(api.http)
      .post('/cases')
      .set(bearer('service'))
      .send(openCaseBody({ customerId: 'cust-edge', merchantId: 'm2' }))
      .expect(201);
    const id = first.body.caseId as string;
    expect((await request(api.http).get(`/cases/${id}`).set(bearer('agent'))).body).toMatchObject({ customerTier: 'SILVER', tierSource: 'loyalty' });
    for (const [action, body, role] of [
      ['acknowledge', {}, 'agent'],
      ['assign', { agentId: 'agent-7' }, 'agent'],
      ['propose-resolution', { kind: 'EXPLANATION' }, 'agent'],
      ['accept-resolution', {}, 'service'],
      ['resolve', { summary: 'Explained' }, 'agent'],
      ['record-satisfaction', { score: 4 }, 'service'],
    ] as Array<[string, object, 'agent' | 'service']>) {
      await request(api.http).post(`/cases/${id}/${action}`).set(bearer(role)).send(body).expect(200);
    }
    await api.background.catchUp();
    const standing = await request(api.http).get('/views/loyalty/customers/cust-edge').set(bearer('analyst')).expect(200);
    expect(standing.body).toMatchObject({ points: { total: 5000, orders: 4990, feedback: 10 }, tier: 'GOLD' });
    const second = await request(api.http)
      .post('/cases')
      .set(bearer('service'))
      .send(openCaseBody({ customerId: 'cust-edge', merchantId: 'm2', customerTier: 'SILVER' }))
      .expect(201);
    expect((await request(api.http).get(`/cases/${second.body.caseId}`).set(bearer('agent'))).body).toMatchObject({
      customerTier: 'GOLD',
      tierSource: 'loyalty',
    });
  });

  it('given a customer the loyalty view does not know, the requested tier applies (given), else STANDARD (default)', async () => {
    const given = await request(api.http)
      .post('/cases')
      .set(bearer('service'))
      .send(openCaseBody({ customerId: 'cust-new', customerTier: 'SILVER' }))
      .expect(201);
    expect((await request(api.http).get(`/cases/${given.body.caseId}`).set(bearer('agent'))).body).toMatchObject({
      customerTier: 'SILVER',
      tierSource: 'given',
    });
    const plain = await request(api.http)
      .post('/cases')
      .set(bearer('service'))
      .send(openCaseBody({ customerId: 'cust-newer' }))
      .expect(201);
    expect((await request(api.http).get(`/cases/${plain.body.caseId}`).set(bearer('agent'))).body).toMatchObject({
      customerTier: 'STANDARD',
      tierSource: 'default',
    });
  });

  it('given a customer whose only order was cancelled, the loyalty view gives NO_RECENT_ORDER as a churn reason', async () => {
    await request(api.http)
      .post('/order-events')
      .set(bearer('service'))
      .send({
        events: [
          fact('OrderPlaced', 'X1', 'cust-cancelled', '2026-02-25T10:00:00Z', 80),
          fact('OrderCancelled', 'X1', 'cust-cancelled', '2026-02-25T12:00:00Z'),
        ],
      })
      .expect(200);
    await api.background.catchUp();
    const res = await request(api.http).get('/views/loyalty/customers/cust-cancelled').set(bearer('analyst')).expect(200);
    expect(res.body).toMatchObject({ orders: { count: 0, cancelled: 1 }, churnRisk: { level: 'MEDIUM', reasons: ['NO_RECENT_ORDER'] } });
  });
});
