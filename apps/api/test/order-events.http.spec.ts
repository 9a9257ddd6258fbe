/**
 * POST /order-events keeps the promises of spec section 7 ("Order facts"): at least 1,000 records per request,
 * duplicates by eventId ignored (across orders, requests and within one request), and per record refusal, with
 * its reason, of a fact dated more than 5 minutes ahead or with an amount that is not a finite number within
 * MAX_AMOUNT; the other records are stored. Types are the spec's (PLACED … REFUNDED), the older names still
 * accepted as deprecated aliases and stored, like every fact, under the event types streams already hold.
 */
import request from 'supertest';
import type { ApiUnderTest } from '../../../test/harness/api-under-test';
import { bearer, openCaseBody, startApi } from '../../../test/harness/api-under-test';
import { orderFactStreamId } from '@aftersales/order-facts';
import { ORDER_EVENTS_BODY_LIMIT_BYTES } from '../src/http/body-parsing';
import type { ProjectionAdmin } from '../src/admin/projection-admin';
import { PROJECTION_ADMIN } from '../src/composition/tokens';

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

  describe("the spec's type names", () => {
    const customerId = 'cust-spec-names';
    const spec = (type: string, n: number, over: Record<string, unknown> = {}) => ({
      eventId: `oms-spec-${n}`,
      type,
      orderId: 'ord-spec-1',
      customerId,
      merchantId: 'merch-1',
      occurredAt: `2026-03-01T1${n}:00:00Z`,
      ...over,
    });
    const loyalty = async (id = customerId) => {
      await api.background.catchUp();
      return (await request(api.http).get(`/views/loyalty/customers/${id}`).set(bearer('analyst')).expect(200)).body;
    };

    it('OpenAPI and AsyncAPI show the spec names first, then the deprecated aliases', async () => {
      const names = [
        'PLACED',
        'PAID',
        'SHIPPED',
        'DELIVERED',
        'CANCELLED',
        'REFUNDED',
        'OrderPlaced',
        'OrderPaid',
        'OrderShipped',
        'OrderDelivered',
        'OrderCancelled',
      ];
      const openApi = (await request(api.http).get('/docs-json').expect(200)).body;
      expect(openApi.components.schemas.OrderFactDto.properties.type.enum).toEqual(names);
      const asyncApi = (await request(api.http).get('/asyncapi.json').expect(200)).body;
      expect(asyncApi.components.schemas.OrderFactDto.properties.type.enum).toEqual(names);
    });

    it('takes each of the six (PLACED, PAID, SHIPPED, DELIVERED, CANCELLED, REFUNDED), stores them under the event types streams hold, and the loyalty view shows them', async () => {
      const res = await post([
        spec('PLACED', 0, { amount: 120, currency: 'EUR' }),
        spec('PAID', 1),
        spec('SHIPPED', 2),
        spec('DELIVERED', 3),
        spec('REFUNDED', 4, { amount: 20, currency: 'EUR' }),
        spec('PLACED', 5, { orderId: 'ord-spec-2', amount: 30, currency: 'EUR' }),
        spec('CANCELLED', 6, { orderId: 'ord-spec-2' }),
      ]).expect(200);
      expect(res.body).toMatchObject({ accepted: 7, duplicates: 0, rejected: 0 });
      const typeOf = async (n: number) => (await api.store.readStream(orderFactStreamId(`oms-spec-${n}`)))[0].type;
      expect(await Promise.all([0, 1, 2, 3, 4, 6].map(typeOf))).toEqual([
        'OrderPlaced',
        'OrderPaid',
        'OrderShipped',
        'OrderDelivered',
        'OrderRefunded',
        'OrderCancelled',
      ]);
      const view = await loyalty();
      // ord-spec-1: 120 paid, 20 refunded → 100 spent and 100 points; ord-spec-2 cancelled.
      expect(view.orders).toEqual({ count: 1, cancelled: 1, refunded: 1, spend: { EUR: 100 }, lastOrderedAt: '2026-03-01T10:00:00.000Z' });
      expect(view.points.orders).toBe(100);
    });

    it('still takes the deprecated names (OrderPlaced …) and refuses a type that is neither, naming the field', async () => {
      const res = await post([
        spec('OrderPlaced', 0, { eventId: 'oms-old-1', orderId: 'ord-old-1', customerId: 'cust-old-name', amount: 40, currency: 'EUR' }),
        spec('OrderPaid', 1, { eventId: 'oms-old-2', orderId: 'ord-old-1', customerId: 'cust-old-name' }),
        spec('REFUND', 2, { eventId: 'oms-old-3', orderId: 'ord-old-1', customerId: 'cust-old-name' }),
        spec('PLACED', 3, { eventId: 'oms-old-4', orderId: 'ord-old-2', customerId: 'cust-old-name' }), // PLACED needs its amount
      ]).expect(200);
      expect(res.body.results.map((r: { status: string }) => r.status)).toEqual(['accepted', 'accepted', 'rejected', 'rejected']);
      expect(res.body.results[2].problems.map((p: { field: string }) => p.field)).toEqual(['type']);
      expect(res.body.results[3].problems.map((p: { field: string }) => p.field)).toEqual(['amount']);
      const view = await loyalty('cust-old-name');
      expect(view.orders).toMatchObject({ count: 1, refunded: 0, spend: { EUR: 40 } });
      expect(view.points.orders).toBe(40);
    });

    it('REFUNDED without an amount refunds the whole order: still an order, no spend or points; partial refunds add up; a refund is not a repurchase; a rebuild gives the same view', async () => {
      const id = 'cust-refunds';
      const fact = (type: string, n: number, orderId: string, over: Record<string, unknown> = {}) =>
        spec(type, n, { eventId: `oms-refund-${n}`, orderId, customerId: id, occurredAt: `2026-02-0${n}T10:00:00Z`, ...over });
      const eur = (amount: number) => ({ amount, currency: 'EUR' });
      const taken = await post([
        fact('PLACED', 1, 'ord-full', eur(80)),
        fact('PAID', 2, 'ord-full'),
        fact('REFUNDED', 3, 'ord-part', eur(4.05)), // told before its order: facts fold in any order
        fact('PLACED', 2, 'ord-part', { ...eur(10.1), eventId: 'oms-refund-part-placed' }),
        fact('REFUNDED', 4, 'ord-part', eur(99)), // the refunds add up to more than the order: all of it, no more
        fact('PAID', 6, 'ord-net'),
        fact('PLACED', 5, 'ord-net', eur(12.3)),
        fact('REFUNDED', 7, 'ord-net', eur(2.3)),
      ]).expect(200);
      expect(taken.body).toMatchObject({ accepted: 8, rejected: 0 });
      const opened = await request(api.http)
        .post('/cases')
        .set(bearer('service'))
        .send(openCaseBody({ customerId: id, orderId: 'ord-full' }))
        .expect(201);
      const act = (action: string, body: object = {}, role: 'agent' | 'service' = 'agent') =>
        request(api.http).post(`/cases/${opened.body.caseId}/${action}`).set(bearer(role)).send(body).expect(200);
      await act('acknowledge');
      await act('assign', { agentId: 'agent-1' });
      await act('propose-resolution', { kind: 'EXPLANATION' });
      await act('accept-resolution', {}, 'service');
      await act('resolve', { summary: 'Explained' });
      await act('close'); // closed at NOW; the full refund comes after it
      await post([
        fact('REFUNDED', 8, 'ord-full', { occurredAt: '2026-03-02T09:01:00Z' }),
        fact('REFUNDED', 9, 'ord-refund-only', { ...eur(5), occurredAt: '2026-03-02T09:01:00Z' }), // no placement known: not a repurchase
      ]).expect(200);

      const view = await loyalty(id);
      // ord-full: 80 paid, all refunded → 0; ord-part: 10.1, all refunded, never paid → 0; ord-net: 12.3 − 2.3 = 10, paid.
      // ord-refund-only counts as an order (like any order known from a later fact) with no amount and no placement.
      expect(view.orders).toEqual({ count: 4, cancelled: 0, refunded: 4, spend: { EUR: 10 }, lastOrderedAt: '2026-02-05T10:00:00.000Z' });
      expect(view.points.orders).toBe(10);
      expect(view.repurchaseAfterCase).toMatchObject({ closedCases: 1, repurchased: 0 });

      await request(api.http).post('/admin/projections/loyalty/rebuild').set(bearer('admin')).expect(202);
      expect(await api.app.get<typeof PROJECTION_ADMIN, ProjectionAdmin>(PROJECTION_ADMIN).settled('loyalty')).toMatchObject({ state: 'done' });
      expect(await loyalty(id)).toEqual(view);
      expect(await loyalty()).toMatchObject({ orders: { count: 1, cancelled: 1, refunded: 1, spend: { EUR: 100 } } });
    });
  });
});
