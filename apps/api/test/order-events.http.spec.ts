/**
 * POST /order-events keeps the promises of spec section 7 ("Order facts"): at least 1,000 records per request,
 * duplicates by eventId ignored (across orders, requests and within one request), and per record refusal, with
 * its reason, of a fact dated more than 5 minutes ahead or with an amount that is not a finite number within
 * MAX_AMOUNT; the other records are stored.
 */
import request from 'supertest';
import type { ApiUnderTest } from '../../../test/harness/api-under-test';
import { bearer, openCaseBody, startApi } from '../../../test/harness/api-under-test';
import { orderFactStreamId } from '@aftersales/order-facts';
import { ORDER_EVENTS_BODY_LIMIT_BYTES } from '../src/http/body-parsing';

const NOW = '2026-03-02T09:00:00.000Z';

/** A realistic fact: ids as order systems write them, three items, a source. */
function realisticFact(n: number, over: Record<string, unknown> = {}) {
  const id = String(n).padStart(9, '0');
  return {
    eventId: `oms-evt-2026-03-01-${id}`,
    type: 'OrderPlaced',
    orderId: `ord-2026-${id}`,
    customerId: `cust-${String(n % 5000).padStart(8, '0')}`,
    merchantId: `merch-${String(n % 40).padStart(4, '0')}`,
    occurredAt: '2026-03-01T10:15:30.123Z',
    amount: 219.7,
    currency: 'EUR',
    source: 'order-service',
    items: [
      { sku: 'SKU-SHOE-42-BLK', quantity: 2, amount: 59.9 },
      { sku: 'SKU-SOCK-M-WHT-3PK', quantity: 1, amount: 9.9 },
      { sku: 'SKU-BAG-TOTE-CANVAS', quantity: 1, amount: 90 },
    ],
    ...over,
  };
}

describe('POST /order-events', () => {
  let api: ApiUnderTest;
  beforeAll(async () => {
    api = await startApi();
  });
  afterAll(async () => api.close());
  beforeEach(() => api.clock.set(NOW));

  const post = (events: unknown[]) => request(api.http).post('/order-events').set(bearer('service')).send({ events });
  const stored = async (eventId: string) => (await api.store.readStream(orderFactStreamId(eventId))).length;

  it('takes 1,000 realistic records (three items each) in one request, well inside the route body limit', async () => {
    const events = Array.from({ length: 1000 }, (_, i) => realisticFact(i));
    const bytes = Buffer.byteLength(JSON.stringify({ events }));
    expect(bytes).toBeLessThan(ORDER_EVENTS_BODY_LIMIT_BYTES / 4); // about 420 kB against 2 MB (docs/http-api.md)
    const res = await post(events).expect(200);
    expect(res.body).toMatchObject({ accepted: 1000, duplicates: 0, rejected: 0 });
    expect(await stored('oms-evt-2026-03-01-000000999')).toBe(1);
    const tooMany = await post([...events, realisticFact(1000)]).expect(400);
    expect(tooMany.body.fields[0].field).toBe('events');
  }, 180_000);

  it('refuses a body over the route limit with a 413 and the usual error body, and other routes keep the small limit', async () => {
    const huge = await request(api.http)
      .post('/order-events')
      .set(bearer('service'))
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ events: [realisticFact(1, { source: 'x'.repeat(ORDER_EVENTS_BODY_LIMIT_BYTES) })] }))
      .expect(413);
    expect(huge.body).toMatchObject({ statusCode: 413, code: 'PAYLOAD_TOO_LARGE', correlationId: expect.any(String) });
    const opening = await request(api.http)
      .post('/cases')
      .set(bearer('service'))
      .send(openCaseBody({ description: 'x'.repeat(200 * 1024) }))
      .expect(413);
    expect(opening.body.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('refuses per record, with its reason, a fact dated more than 5 minutes ahead and an amount that is not a finite number within MAX_AMOUNT; stores the rest', async () => {
    const res = await post([
      realisticFact(5001, { occurredAt: '2026-03-02T09:04:59Z' }), // 4 min 59 s ahead: clock skew, taken
      realisticFact(5002, { occurredAt: '2026-03-02T09:05:01Z' }), // ahead by more than 5 minutes
      realisticFact(5003, { occurredAt: '2027-01-01T00:00:00Z' }),
      realisticFact(5004, { amount: 1e308 }),
      realisticFact(5005, { amount: -0.01 }),
      realisticFact(5006, { amount: 1_000_000_000.01 }),
      realisticFact(5007, { items: [{ sku: 'A', quantity: 1, amount: 1e12 }] }),
      realisticFact(5008, { occurredAt: '2026-02-30T10:00:00Z' }), // no such day
      realisticFact(5009, { amount: 1_000_000_000 }), // exactly MAX_AMOUNT: taken
    ]).expect(200);
    expect(res.body).toMatchObject({ accepted: 2, duplicates: 0, rejected: 7 });
    const byIndex = (i: number) => res.body.results[i];
    expect(byIndex(0)).toMatchObject({ status: 'accepted' });
    expect(byIndex(1)).toMatchObject({
      status: 'rejected',
      eventId: 'oms-evt-2026-03-01-000005002',
      problems: [{ field: 'occurredAt', problems: [expect.stringMatching(/more than 5 minutes in the future/)] }],
    });
    expect(byIndex(2).problems[0].field).toBe('occurredAt');
    expect(byIndex(3).problems).toEqual([{ field: 'amount', problems: [expect.stringMatching(/at most 1000000000/)] }]);
    expect(byIndex(4).problems.map((p: { field: string }) => p.field)).toEqual(['amount']);
    expect(byIndex(5).problems).toEqual([{ field: 'amount', problems: ['amount must be at most 1000000000 (MAX_AMOUNT)'] }]);
    expect(byIndex(6).problems.map((p: { field: string }) => p.field)).toEqual(['items.0.amount']);
    expect(byIndex(7).problems.map((p: { field: string }) => p.field)).toEqual(['occurredAt']);
    expect(byIndex(8)).toMatchObject({ status: 'accepted' });
    for (const n of [5002, 5003, 5004, 5005, 5006, 5007, 5008]) expect(await stored(`oms-evt-2026-03-01-00000${n}`)).toBe(0);
    expect(await stored('oms-evt-2026-03-01-000005001')).toBe(1);
  });

  it('refuses on its own a record holding a lone surrogate or a null, with the field named; the others are stored', async () => {
    const res = await post([realisticFact(6001, { source: 'bad \ud800 source' }), realisticFact(6002, { currency: null }), realisticFact(6003)]).expect(200);
    expect(res.body.results.map((r: { status: string }) => r.status)).toEqual(['rejected', 'rejected', 'accepted']);
    expect(res.body.results[0].problems[0]).toMatchObject({ field: 'source', problems: [expect.stringMatching(/lone UTF-16 surrogate/)] });
    expect(res.body.results[1].problems[0]).toMatchObject({ field: 'currency', problems: [expect.stringMatching(/must not be null/)] });
  });

  it('ignores a repeated eventId, across requests, within one request and even when it names another order; keeps two eventIds for the same order and type', async () => {
    const first = realisticFact(7001);
    await post([first]).expect(200);
    const again = await post([
      first, // across requests
      realisticFact(7001, { orderId: 'ord-some-other-order', customerId: 'cust-other' }), // same eventId, another order
      realisticFact(7002),
      realisticFact(7002), // within one request
      realisticFact(7003, { orderId: first.orderId }), // another eventId for the same order and type: kept
    ]).expect(200);
    expect(again.body.results.map((r: { status: string }) => r.status)).toEqual(['duplicate', 'duplicate', 'accepted', 'duplicate', 'accepted']);
    expect(again.body).toMatchObject({ accepted: 2, duplicates: 3, rejected: 0 });
    expect(await stored(first.eventId)).toBe(1);
    const kept = (await api.store.readStream(orderFactStreamId(first.eventId)))[0];
    expect(kept.data).toMatchObject({ orderId: first.orderId, customerId: first.customerId });
  });

  it('a future-dated order never counts as a repurchase in the loyalty view; spend adds up to the cent', async () => {
    const customerId = 'cust-repurchase';
    await post([
      realisticFact(8001, { customerId, orderId: 'ord-r-1', amount: 0.1, occurredAt: '2026-02-01T10:00:00Z' }),
      realisticFact(8002, { customerId, orderId: 'ord-r-2', amount: 0.2, occurredAt: '2026-02-02T10:00:00Z' }),
    ]).expect(200);
    const opened = await request(api.http)
      .post('/cases')
      .set(bearer('service'))
      .send(openCaseBody({ customerId, orderId: 'ord-r-1' }))
      .expect(201);
    const id = opened.body.caseId as string;
    const act = (action: string, body: object = {}, role: 'agent' | 'service' = 'agent') =>
      request(api.http).post(`/cases/${id}/${action}`).set(bearer(role)).send(body).expect(200);
    await act('acknowledge');
    await act('assign', { agentId: 'agent-1' });
    await act('propose-resolution', { kind: 'EXPLANATION' });
    await act('accept-resolution', {}, 'service');
    await act('resolve', { summary: 'Explained' });
    await act('close');
    // Told now of an order "placed" tomorrow, inside the 90-day window after closure: refused, so no repurchase.
    const future = await post([realisticFact(8003, { customerId, orderId: 'ord-r-3', occurredAt: '2026-03-03T10:00:00Z' })]).expect(200);
    expect(future.body.results[0]).toMatchObject({ status: 'rejected', problems: [{ field: 'occurredAt' }] });
    await api.background.catchUp();
    api.clock.set('2026-06-15T00:00:00Z'); // the window has run out
    const view = await request(api.http).get(`/views/loyalty/customers/${customerId}`).set(bearer('analyst')).expect(200);
    expect(view.body.orders).toMatchObject({ count: 2, spend: { EUR: 0.3 } });
    expect(view.body.repurchaseAfterCase).toMatchObject({ closedCases: 1, repurchased: 0 });
  });
});
