/**
 * The loyalty view's order row: given order facts in any order, when folded, then the same row, refunds added up
 * and never counted for more than the order.
 */
import type { OrderFactData, OrderFactType } from '@aftersales/order-facts';
import type { OrderRow } from '../src/loyalty/order-reducer';
import { orderedAt, reduceOrder, refundedOf } from '../src/loyalty/order-reducer';

type Fact = [OrderFactType, string, number?];
const data = (amount?: number): OrderFactData => ({
  orderId: 'ord-1',
  customerId: 'cust-1',
  merchantId: 'm1',
  sourceEventId: 'x',
  ...(amount !== undefined ? { amount, currency: 'EUR' } : {}),
});
const fold = (facts: Fact[]) => facts.reduce<OrderRow | undefined>((row, [type, at, amount]) => reduceOrder(row, type, data(amount), at), undefined)!;

describe('reduceOrder with refunds', () => {
  const facts: Fact[] = [
    ['OrderPlaced', '2026-02-01T10:00:00.000Z', 50],
    ['OrderPaid', '2026-02-01T10:05:00.000Z'],
    ['OrderRefunded', '2026-02-04T10:00:00.000Z', 10.1],
    ['OrderRefunded', '2026-02-03T10:00:00.000Z', 4.05],
  ];

  it('records the earliest refund and the refunded amounts added up, whatever order the facts come in', () => {
    const row = fold(facts);
    expect(row).toMatchObject({ amount: 50, refundedAt: '2026-02-03T10:00:00.000Z', refundedAmount: 14.15 });
    expect(refundedOf(row)).toBe(14.15);
    expect(fold([...facts].reverse())).toEqual(row);
    expect(fold([facts[2], facts[0], facts[3], facts[1]])).toEqual(row);
  });

  it("a refund's amount is never taken for the order's amount, nor its time for when it was ordered", () => {
    const row = fold([['OrderRefunded', '2026-02-04T10:00:00.000Z', 10], facts[1]]);
    expect(row.amount).toBeUndefined();
    expect(orderedAt(row)).toBe('2026-02-01T10:05:00.000Z');
    expect(orderedAt(fold([['OrderRefunded', '2026-02-04T10:00:00.000Z']]))).toBeUndefined();
  });

  it('a refund without an amount refunds the whole order; refunds never count for more than the order', () => {
    expect(refundedOf(fold([...facts, ['OrderRefunded', '2026-02-05T10:00:00.000Z']]))).toBe(50);
    expect(refundedOf(fold([facts[0], ['OrderRefunded', '2026-02-05T10:00:00.000Z', 80]]))).toBe(50);
    expect(refundedOf(fold(facts.slice(0, 2)))).toBeUndefined();
  });
});
