/**
 * Folds order facts into one row per order. Commutative: each fact sets its own fields, so facts arriving out
 * of order (paid before placed) give the same row.
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
}

const FIELD: Record<OrderFactType, keyof OrderRow> = {
  OrderPlaced: 'placedAt',
  OrderPaid: 'paidAt',
  OrderShipped: 'shippedAt',
  OrderDelivered: 'deliveredAt',
  OrderCancelled: 'cancelledAt',
};

export function reduceOrder(row: OrderRow | undefined, type: OrderFactType, data: OrderFactData, occurredAt: string, eventId = ''): OrderRow {
  if (!data?.orderId || !data.customerId) throw new PoisonEventError(eventId, `${type} lacks orderId or customerId`);
  const next: OrderRow = row ? { ...row } : { orderId: data.orderId, customerId: data.customerId, merchantId: data.merchantId };
  const field = FIELD[type];
  const current = next[field] as string | undefined;
  if (!current || Date.parse(occurredAt) < Date.parse(current)) (next as unknown as Record<string, string>)[field] = occurredAt;
  if (data.amount !== undefined && (type === 'OrderPlaced' || next.amount === undefined)) {
    next.amount = data.amount;
    next.currency = data.currency ?? next.currency;
  }
  return next;
}

/** When the order counts as placed: its OrderPlaced time, or the earliest fact seen. */
export function orderedAt(row: OrderRow): string | undefined {
  return row.placedAt ?? [row.paidAt, row.shippedAt, row.deliveredAt].filter(Boolean).sort()[0];
}
