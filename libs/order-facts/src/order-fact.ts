/**
 * Order facts: what internal services tell us about orders (spec section 1), on Kafka `orders.events.v1` or
 * `POST /order-events`. Accepted facts are kept in the event store, each in its own stream named after the
 * producer's event id (`order-fact-<eventId>`), so the store itself refuses a second fact with the same event id,
 * whatever order it names; a replay of the store reproduces the loyalty view exactly.
 */

/** The event types accepted facts are stored as (streams already written replay under these names). */
export const ORDER_FACT_TYPES = ['OrderPlaced', 'OrderPaid', 'OrderShipped', 'OrderDelivered', 'OrderCancelled', 'OrderRefunded'] as const;
export type OrderFactType = (typeof ORDER_FACT_TYPES)[number];

/**
 * The one table from a record's wire `type` to the event type it is stored as: the spec's names first
 * (section 7), then the deprecated aliases producers sent before (the stored names themselves).
 */
const WIRE_TO_STORED = {
  PLACED: 'OrderPlaced',
  PAID: 'OrderPaid',
  SHIPPED: 'OrderShipped',
  DELIVERED: 'OrderDelivered',
  CANCELLED: 'OrderCancelled',
  REFUNDED: 'OrderRefunded',
  // Deprecated aliases, still accepted.
  OrderPlaced: 'OrderPlaced',
  OrderPaid: 'OrderPaid',
  OrderShipped: 'OrderShipped',
  OrderDelivered: 'OrderDelivered',
  OrderCancelled: 'OrderCancelled',
} as const satisfies Record<string, OrderFactType>;

export type OrderFactWireType = keyof typeof WIRE_TO_STORED;
/** Every wire type a record may carry, the spec's names first. */
export const ORDER_FACT_WIRE_TYPES = Object.keys(WIRE_TO_STORED) as OrderFactWireType[];
/** The deprecated aliases among them: the stored names, accepted as they are. */
export const DEPRECATED_ORDER_FACT_WIRE_TYPES = ORDER_FACT_WIRE_TYPES.filter((t) => t === WIRE_TO_STORED[t]);
/** The spec's names (section 7): PLACED … REFUNDED. */
export const SPEC_ORDER_FACT_WIRE_TYPES = ORDER_FACT_WIRE_TYPES.filter((t) => t !== WIRE_TO_STORED[t]);

export function isOrderFactWireType(type: string): type is OrderFactWireType {
  return Object.prototype.hasOwnProperty.call(WIRE_TO_STORED, type);
}

/** The stored event type of a wire type; undefined for a type this release does not know. */
export function storedOrderFactType(wireType: string): OrderFactType | undefined {
  return isOrderFactWireType(wireType) ? WIRE_TO_STORED[wireType] : undefined;
}

/** The record as producers send it. */
export interface OrderFactRecord {
  /** The producer's own id of this fact: the de-duplication key. */
  eventId: string;
  /** A spec name (`PLACED` … `REFUNDED`) or a deprecated alias (`OrderPlaced` …). */
  type: OrderFactWireType;
  orderId: string;
  customerId: string;
  merchantId: string;
  occurredAt: string;
  /** Order total, required on PLACED; on REFUNDED the amount refunded (absent: the whole order). */
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
