/** The Kafka topics of spec section 8, and creating them with the configured layout, checked against the cluster. */
import type { Admin } from 'kafkajs';
import { largestRecord, readRecordLimits } from './record-limits';

export interface KafkaTopics {
  /** Every case event, key: case id (CloudEvents 1.0, binary mode). */
  caseEvents: string;
  /** Accepted, de-duplicated order facts as stored, key: order id. */
  orderFacts: string;
  /** Inbound order facts from internal services, key: order id. */
  ordersInbound: string;
  /** Poison records, with the error and where they came from in headers. */
  deadLetter: string;
  /** EarlyWarningRaised / EarlyWarningCleared, key: signal key (CloudEvents 1.0, binary mode). */
  earlyWarnings: string;
}

export const DEFAULT_TOPICS: KafkaTopics = {
  caseEvents: 'aftersales.case-events.v1',
  orderFacts: 'aftersales.order-facts.v1',
  ordersInbound: 'orders.events.v1',
  deadLetter: 'aftersales.dead-letter.v1',
  earlyWarnings: 'aftersales.early-warnings.v1',
};

/** Topics with a suffix (tests give each run its own). */
export function topicsWithSuffix(suffix: string): KafkaTopics {
  return {
    caseEvents: `${DEFAULT_TOPICS.caseEvents}${suffix}`,
    orderFacts: `${DEFAULT_TOPICS.orderFacts}${suffix}`,
    ordersInbound: `${DEFAULT_TOPICS.ordersInbound}${suffix}`,
    deadLetter: `${DEFAULT_TOPICS.deadLetter}${suffix}`,
    earlyWarnings: `${DEFAULT_TOPICS.earlyWarnings}${suffix}`,
  };
}

/** How topics are laid out (KAFKA_PARTITIONS, KAFKA_REPLICATION_FACTOR, KAFKA_MIN_INSYNC_REPLICAS). */
export interface TopicLayout {
  partitions: number;
  replicationFactor: number;
  minInsyncReplicas: number;
}

/** One local broker: 3 partitions, one replica, one in-sync replica. */
export const LOCAL_TOPIC_LAYOUT: TopicLayout = { partitions: 3, replicationFactor: 1, minInsyncReplicas: 1 };

/** The cluster cannot hold the configured layout (more replicas asked for than there are brokers). */
export class KafkaTopologyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KafkaTopologyError';
  }
}

export interface TopicsReport {
  created: string[];
  /** Existing topics that differ from the layout (fewer partitions, fewer replicas): reported, not changed. */
  warnings: string[];
}

const HEADROOM_BYTES = 262_144;

/**
 * Creates the missing topics with the layout, after checking it against the cluster: a replication factor above
 * the number of brokers fails at once (KafkaTopologyError). Existing topics are left as they are; fewer
 * partitions or replicas than configured is reported as a warning, because adding partitions moves keys to other
 * partitions and so breaks the per-case order of events still in flight (an operator's decision, see
 * docs/operations.md). The dead-letter topic accepts records as large as the largest its sources accept.
 */
export async function ensureTopics(admin: Admin, topics: KafkaTopics, layout: TopicLayout = LOCAL_TOPIC_LAYOUT): Promise<TopicsReport> {
  const cluster = await admin.describeCluster();
  if (layout.replicationFactor > cluster.brokers.length) {
    throw new KafkaTopologyError(
      `KAFKA_REPLICATION_FACTOR is ${layout.replicationFactor} but the Kafka cluster has ${cluster.brokers.length} broker(s); ` +
        `lower KAFKA_REPLICATION_FACTOR (and KAFKA_MIN_INSYNC_REPLICAS) or add brokers`,
    );
  }
  if (layout.minInsyncReplicas > layout.replicationFactor) {
    throw new KafkaTopologyError(`KAFKA_MIN_INSYNC_REPLICAS (${layout.minInsyncReplicas}) is above KAFKA_REPLICATION_FACTOR (${layout.replicationFactor})`);
  }
  const existing = new Set(await admin.listTopics());
  const all = Object.values(topics);
  const missing = all.filter((t) => !existing.has(t));
  const report: TopicsReport = { created: [], warnings: [] };
  // A topic about to be created takes the broker's limit; an existing one keeps its own.
  const limits = await readRecordLimits(admin, all);
  const largestSource = largestRecord(
    limits,
    all.filter((t) => t !== topics.deadLetter),
  );
  if (missing.length) {
    await admin.createTopics({
      waitForLeaders: false,
      topics: missing.map((topic) => ({
        topic,
        numPartitions: layout.partitions,
        replicationFactor: layout.replicationFactor,
        configEntries: [
          { name: 'min.insync.replicas', value: String(layout.minInsyncReplicas) },
          ...(topic === topics.deadLetter ? [{ name: 'max.message.bytes', value: String(largestSource + HEADROOM_BYTES) }] : []),
        ],
      })),
    });
    await waitForTopicLeaders(admin, missing);
    report.created.push(...missing);
  }
  if (existing.has(topics.deadLetter) && (limits.topicMaxMessageBytes[topics.deadLetter] ?? 0) < largestSource) {
    report.warnings.push(
      `dead-letter topic ${topics.deadLetter} accepts records up to ${limits.topicMaxMessageBytes[topics.deadLetter]} bytes, less than its sources (${largestSource}); ` +
        `larger dead letters are sent without their value (raise its max.message.bytes)`,
    );
  }
  const present = all.filter((t) => existing.has(t));
  const described = present.length ? await admin.fetchTopicMetadata({ topics: present }) : { topics: [] };
  for (const topic of described.topics) {
    const replicas = Math.min(...topic.partitions.map((p) => p.replicas.length));
    if (topic.partitions.length < layout.partitions) {
      report.warnings.push(`topic ${topic.name} has ${topic.partitions.length} partitions, fewer than KAFKA_PARTITIONS=${layout.partitions}; left as it is`);
    }
    if (replicas < layout.replicationFactor) {
      report.warnings.push(`topic ${topic.name} has ${replicas} replica(s), fewer than KAFKA_REPLICATION_FACTOR=${layout.replicationFactor}; left as it is`);
    }
  }
  return report;
}

/** Waits until every partition of new topics has a leader (the cluster's metadata can lag their creation). */
export async function waitForTopicLeaders(admin: Admin, names: string[], timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: string;
  for (;;) {
    try {
      const { topics } = await admin.fetchTopicMetadata({ topics: names });
      if (topics.length === names.length && topics.every((t) => t.partitions.length > 0 && t.partitions.every((p) => p.leader >= 0))) return;
      last = 'partitions without a leader';
    } catch (error) {
      last = (error as Error).message;
    }
    if (Date.now() > deadline) throw new Error(`topics ${names.join(', ')} have no leaders after ${timeoutMs} ms: ${last}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
