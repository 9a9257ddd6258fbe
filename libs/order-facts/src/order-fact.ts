/**
 * Order facts: what internal services tell us about orders (spec section 1), on Kafka `orders.events.v1` or
 * `POST /order-events`. Accepted facts are kept in the event store (stream `order-<orderId>`), de-duplicated
 * by the source's event id, so a replay of the store reproduces the loyalty view exactly.
 */

export const ORDER_FACT_TYPES = ['OrderPlaced', 'OrderPaid', 'OrderShipped', 'OrderDelivered', 'OrderCancelled'] as const;
export type OrderFactType = (typeof ORDER_FACT_TYPES)[number];

/** The record as producers send it. */
export interface OrderFactRecord {
  /** The producer's own id of this fact: the de-duplication key. */
  eventId: string;
  type: OrderFactType;
  orderId: string;
  customerId: string;
  merchantId: string;
  occurredAt: string;
  /** Order total; required on OrderPlaced. */
  amount?: number;
  currency?: string;
  /** Producer name, recorded as the acting service. */
  source?: string;
}

/** The data of an accepted fact as stored in the order's stream. */
export interface OrderFactData {
  orderId: string;
  customerId: string;
  merchantId: string;
  amount?: number;
  currency?: string;
  sourceEventId: string;
}

export const ORDER_STREAM_PREFIX = 'order-';

export function orderStreamId(orderId: string): string {
  return `${ORDER_STREAM_PREFIX}${orderId}`;
}

export function isOrderFactType(type: string): type is OrderFactType {
  return (ORDER_FACT_TYPES as readonly string[]).includes(type);
}
