/**
 * Folds order facts into one row per order. Commutative: each fact sets its own fields (refunds add up), so facts
 * arriving out of order (paid before placed, refunded before paid) give the same row.
 */
import type { OrderFactData, OrderFactType } from '@aftersales/order-facts';
import { PoisonEventError } from '../poison-event';

export interface OrderRow {
  orderId: string;
  customerId: string;
  merchantId: string;
  amount?: number;
  currency?: string;
  placedAt?: string;
  paidAt?: string;
  shippedAt?: string;
  deliveredAt?: string;
  cancelledAt?: string;
  /** The earliest OrderRefunded. */
  refundedAt?: string;
  /** The amounts the OrderRefunded facts named, added up. */
  refundedAmount?: number;
  /** An OrderRefunded without an amount refunds the whole order. */
  refundedInFull?: boolean;
}

const FIELD: Record<OrderFactType, keyof OrderRow> = {
  OrderPlaced: 'placedAt',
  OrderPaid: 'paidAt',
  OrderShipped: 'shippedAt',
  OrderDelivered: 'deliveredAt',
  OrderCancelled: 'cancelledAt',
  OrderRefunded: 'refundedAt',
};

export function reduceOrder(row: OrderRow | undefined, type: OrderFactType, data: OrderFactData, occurredAt: string, eventId = ''): OrderRow {
  if (!data?.orderId || !data.customerId) throw new PoisonEventError(eventId, `${type} lacks orderId or customerId`);
  const next: OrderRow = row ? { ...row } : { orderId: data.orderId, customerId: data.customerId, merchantId: data.merchantId };
  const field = FIELD[type];
  const current = next[field] as string | undefined;
  if (!current || Date.parse(occurredAt) < Date.parse(current)) (next as unknown as Record<string, string>)[field] = occurredAt;
  if (type === 'OrderRefunded') {
    if (data.amount === undefined) next.refundedInFull = true;
    else next.refundedAmount = cents((next.refundedAmount ?? 0) + data.amount);
  } else if (data.amount !== undefined && (type === 'OrderPlaced' || next.amount === undefined)) {
    next.amount = data.amount;
    next.currency = data.currency ?? next.currency;
  }
  return next;
}

/** When the order counts as placed: its OrderPlaced time, or the earliest fact seen. */
export function orderedAt(row: OrderRow): string | undefined {
  return row.placedAt ?? [row.paidAt, row.shippedAt, row.deliveredAt].filter(Boolean).sort()[0];
}

const cents = (n: number) => Math.round(n * 100) / 100;

/** What was refunded of the order, never more than its amount (a refund without an amount: all of it). */
export function refundedOf(row: OrderRow): number | undefined {
  if (row.refundedAt === undefined) return undefined;
  if (row.amount === undefined) return row.refundedInFull ? undefined : row.refundedAmount;
  return row.refundedInFull ? row.amount : Math.min(row.amount, row.refundedAmount ?? 0);
}
