/**
 * Order facts: what internal services tell us about orders (spec section 1), on Kafka `orders.events.v1` or
 * `POST /order-events`. Accepted facts are kept in the event store, each in its own stream named after the
 * producer's event id (`order-fact-<eventId>`), so the store itself refuses a second fact with the same event id,
 * whatever order it names; a replay of the store reproduces the loyalty view exactly.
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
  /** What was ordered. */
  items?: OrderFactItem[];
}

export interface OrderFactItem {
  sku: string;
  quantity: number;
  /** Unit price. */
  amount: number;
}

/** The data of an accepted fact as stored in the order's stream. */
export interface OrderFactData {
  orderId: string;
  customerId: string;
  merchantId: string;
  amount?: number;
  currency?: string;
  items?: OrderFactItem[];
  sourceEventId: string;
}

export const ORDER_STREAM_PREFIX = 'order-';

/** The stream of one order's facts, as facts were kept before each got its own stream (still read for duplicates). */
export function orderStreamId(orderId: string): string {
  return `${ORDER_STREAM_PREFIX}${orderId}`;
}

/** The stream of one fact: at most one fact per producer event id, enforced by the store's expected revision. */
export function orderFactStreamId(eventId: string): string {
  return `${ORDER_STREAM_PREFIX}fact-${eventId}`;
}

export function isOrderFactType(type: string): type is OrderFactType {
  return (ORDER_FACT_TYPES as readonly string[]).includes(type);
}
