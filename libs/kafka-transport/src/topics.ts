/** The Kafka topics of spec section 8, and creating them. */
import type { Admin } from 'kafkajs';

export interface KafkaTopics {
  /** Every case event, key: case id (CloudEvents 1.0, binary mode). */
  caseEvents: string;
  /** Accepted, de-duplicated order facts as stored, key: order id. */
  orderFacts: string;
  /** Inbound order facts from internal services, key: order id. */
  ordersInbound: string;
  /** Poison records, with the error and where they came from in headers. */
  deadLetter: string;
}

export const DEFAULT_TOPICS: KafkaTopics = {
  caseEvents: 'aftersales.case-events.v1',
  orderFacts: 'aftersales.order-facts.v1',
  ordersInbound: 'orders.events.v1',
  deadLetter: 'aftersales.dead-letter.v1',
};

/** Topics with a suffix (tests give each run its own). */
export function topicsWithSuffix(suffix: string): KafkaTopics {
  return {
    caseEvents: `${DEFAULT_TOPICS.caseEvents}${suffix}`,
    orderFacts: `${DEFAULT_TOPICS.orderFacts}${suffix}`,
    ordersInbound: `${DEFAULT_TOPICS.ordersInbound}${suffix}`,
    deadLetter: `${DEFAULT_TOPICS.deadLetter}${suffix}`,
  };
}

export async function ensureTopics(admin: Admin, topics: KafkaTopics, partitions = 3): Promise<void> {
  const existing = new Set(await admin.listTopics());
  const missing = Object.values(topics).filter((t) => !existing.has(t));
  if (missing.length === 0) return;
  await admin.createTopics({
    waitForLeaders: true,
    topics: missing.map((topic) => ({ topic, numPartitions: partitions, replicationFactor: 1 })),
  });
}
