/**
 * Order facts in: given a record, when it is taken in, then it is appended to its own stream, ignored as a
 * duplicate, or refused with the field and the reason, and the records beside it go on. Against a PGlite store.
 */
import { ManualClock } from '@aftersales/case-domain';
import type { EventStore } from '@aftersales/event-store';
import { SqlEventStore } from '@aftersales/event-store';
import { PgliteSqlClient } from '@aftersales/sql-client';
import type { SqlClient } from '@aftersales/sql-client';
import { freshPgliteDir } from '../../../test/harness/pglite-template';
import { OrderFactIntake, orderFactStreamId, orderStreamId } from '../src';

const placed = (over: Record<string, unknown> = {}) => ({
  eventId: 'oms-evt-1',
  type: 'OrderPlaced',
  orderId: 'ord-1001',
  customerId: 'cust-1',
  merchantId: 'merch-9',
  occurredAt: '2026-03-02T08:00:00Z',
  amount: 119.8,
  currency: 'EUR',
  items: [{ sku: 'SHOE-42', quantity: 2, amount: 59.9 }],
  ...over,
});

describe('OrderFactIntake', () => {
  let sql: SqlClient;
  let store: EventStore;
  let clock: ManualClock;
  let intake: OrderFactIntake;
  const context = { deliveredBy: 'orders.events.v1' };

  beforeAll(async () => {
    sql = await PgliteSqlClient.open(freshPgliteDir());
    store = await SqlEventStore.open('pglite', sql);
  });
  afterAll(async () => sql.close());
  let n = 0;
  beforeEach(() => {
    clock = new ManualClock('2026-03-02T09:00:00.000Z');
    intake = new OrderFactIntake(store, { clock });
    n += 1;
  });
  const id = (name: string) => `${name}-${n}`;

  it('appends an accepted fact to its own stream with the data and metadata of the record', async () => {
    const record = placed({ eventId: id('evt'), source: 'order-service' });
    expect(await intake.ingestOne(record, { ...context, correlationId: 'corr-1' })).toEqual({ status: 'accepted', eventId: id('evt'), orderId: 'ord-1001' });
    const [stored] = await store.readStream(orderFactStreamId(id('evt')));
    expect(stored.type).toBe('OrderPlaced');
    expect(stored.data).toEqual({
      orderId: 'ord-1001',
      customerId: 'cust-1',
      merchantId: 'merch-9',
      sourceEventId: id('evt'),
      amount: 119.8,
      currency: 'EUR',
      items: [{ sku: 'SHOE-42', quantity: 2, amount: 59.9 }],
    });
    expect(stored.metadata).toMatchObject({
      occurredAt: '2026-03-02T08:00:00.000Z',
      actor: { type: 'service', id: 'order-service' },
      correlationId: 'corr-1',
      causationId: id('evt'),
    });
  });

  it('ignores a second record with the same producer event id, whatever order it names', async () => {
    await intake.ingestOne(placed({ eventId: id('evt') }), context);
    expect(await intake.ingestOne(placed({ eventId: id('evt'), orderId: 'ord-other' }), context)).toEqual({
      status: 'duplicate',
      eventId: id('evt'),
      orderId: 'ord-other',
    });
    expect(await store.readStream(orderFactStreamId(id('evt')))).toHaveLength(1);
  });

  it('takes exactly one of two concurrent deliveries of one fact', async () => {
    const results = await Promise.all([intake.ingestOne(placed({ eventId: id('evt') }), context), intake.ingestOne(placed({ eventId: id('evt') }), context)]);
    expect(results.map((r) => r.status).sort()).toEqual(['accepted', 'duplicate']);
  });

  it('treats a fact kept in its order stream (before facts had their own) as seen', async () => {
    const orderId = id('ord-legacy');
    await store.append(
      orderStreamId(orderId),
      [
        {
          eventId: '00000000-0000-4000-8000-000000000001',
          type: 'OrderPaid',
          schemaVersion: 1,
          data: { orderId },
          metadata: {
            occurredAt: '2026-03-01T00:00:00Z',
            actor: { type: 'service', id: 'oms' },
            correlationId: 'c',
            causationId: 'c',
            sourceEventId: id('old'),
          },
        },
      ],
      'no_stream',
    );
    expect((await intake.ingestOne(placed({ eventId: id('old'), orderId, type: 'OrderPaid' }), context)).status).toBe('duplicate');
  });

  it.each([
    ['PLACED', 'OrderPlaced'],
    ['PAID', 'OrderPaid'],
    ['SHIPPED', 'OrderShipped'],
    ['DELIVERED', 'OrderDelivered'],
    ['CANCELLED', 'OrderCancelled'],
    ['REFUNDED', 'OrderRefunded'],
    ['OrderPaid', 'OrderPaid'], // a deprecated alias
  ])('stores a %s record as %s', async (wire, stored) => {
    expect((await intake.ingestOne(placed({ eventId: id(wire), type: wire }), context)).status).toBe('accepted');
    expect((await store.readStream(orderFactStreamId(id(wire))))[0].type).toBe(stored);
  });

  it.each([
    ['no amount on OrderPlaced', { amount: undefined }, 'amount'],
    ['no amount on PLACED', { type: 'PLACED', amount: undefined }, 'amount'],
    ['a stored name that is no wire type', { type: 'OrderRefunded' }, 'type'],
    ['a negative amount', { amount: -1 }, 'amount'],
    ['an amount without a currency code', { currency: 'euro' }, 'currency'],
    ['an unknown type', { type: 'OrderTeleported' }, 'type'],
    ['an instant that is not one', { occurredAt: 'yesterday' }, 'occurredAt'],
    ['an empty order id', { orderId: '' }, 'orderId'],
    ['a quantity of zero', { items: [{ sku: 'S', quantity: 0, amount: 1 }] }, 'items.0.quantity'],
    ['a field it does not know', { items: [{ sku: 'S', quantity: 1, amount: 1, colour: 'red' }] }, 'items.0.colour'],
  ])('refuses a record with %s, naming the field', async (_what, over, field) => {
    const result = await intake.ingestOne(placed({ eventId: id('bad'), ...over }), context);
    expect(result.status).toBe('rejected');
    expect(result.status === 'rejected' && result.problems.map((p) => p.field)).toContain(field);
    expect(await store.readStream(orderFactStreamId(id('bad')))).toEqual([]);
  });

  it('refuses a record that is not an object at all', async () => {
    expect((await intake.ingestOne('OrderPlaced', context)).status).toBe('rejected');
    expect((await intake.ingestOne(null, context)).status).toBe('rejected');
  });

  it('refuses a fact dated more than five minutes ahead of the clock, and takes one dated just within', async () => {
    const ahead = await intake.ingestOne(placed({ eventId: id('late'), occurredAt: '2026-03-02T09:05:00.001Z' }), context);
    expect(ahead).toMatchObject({ status: 'rejected', problems: [{ field: 'occurredAt' }] });
    expect((await intake.ingestOne(placed({ eventId: id('edge'), occurredAt: '2026-03-02T09:05:00.000Z' }), context)).status).toBe('accepted');
    clock.advanceMinutes(1);
    expect((await intake.ingestOne(placed({ eventId: id('late'), occurredAt: '2026-03-02T09:05:00.001Z' }), context)).status).toBe('accepted');
  });

  it('goes on past a bad record in a batch', async () => {
    const results = await intake.ingest(
      [
        placed({ eventId: id('a') }),
        placed({ eventId: id('b'), type: 'Nope' }),
        placed({ eventId: id('c'), type: 'OrderShipped', amount: undefined, currency: undefined }),
      ],
      context,
    );
    expect(results.map((r) => r.status)).toEqual(['accepted', 'rejected', 'accepted']);
  });
});
