/**
 * How large a record can be, read from the cluster at start-up: the broker's `message.max.bytes` and each topic's
 * `max.message.bytes` (which may raise it per topic). Consumers size their fetches from it so the largest record
 * the broker accepts is fetched, never fatal; the broker's limit is also the default above which a consumer
 * dead-letters a record as `too_large` (a compressed record can decompress to more than the broker checked).
 */
import type { Admin } from 'kafkajs';
import { ConfigResourceTypes } from 'kafkajs';

/** Kafka's own default of `message.max.bytes`. */
export const KAFKA_DEFAULT_MESSAGE_MAX_BYTES = 1_048_588;

export interface FetchSizing {
  maxBytesPerPartition: number;
  maxBytes: number;
}

export interface RecordLimits {
  brokerMaxMessageBytes: number;
  /** `max.message.bytes` per existing topic. */
  topicMaxMessageBytes: Record<string, number>;
}

function numberFrom(entries: Array<{ configName: string; configValue: string | null }> | undefined, name: string): number | undefined {
  const raw = entries?.find((e) => e.configName === name)?.configValue;
  const value = raw === null || raw === undefined ? NaN : Number(raw);
  return Number.isFinite(value) && value > 0 ? value : undefined;
}

export async function readRecordLimits(admin: Admin, topics: string[]): Promise<RecordLimits> {
  const cluster = await admin.describeCluster();
  const broker = cluster.brokers[0];
  let brokerMaxMessageBytes = KAFKA_DEFAULT_MESSAGE_MAX_BYTES;
  if (broker) {
    const described = await admin.describeConfigs({
      includeSynonyms: false,
      resources: [{ type: ConfigResourceTypes.BROKER, name: String(broker.nodeId), configNames: ['message.max.bytes'] }],
    });
    brokerMaxMessageBytes = numberFrom(described.resources[0]?.configEntries, 'message.max.bytes') ?? brokerMaxMessageBytes;
  }
  const existing = new Set(await admin.listTopics());
  const wanted = topics.filter((t) => existing.has(t));
  const topicMaxMessageBytes: Record<string, number> = {};
  if (wanted.length) {
    const described = await admin.describeConfigs({
      includeSynonyms: false,
      resources: wanted.map((name) => ({ type: ConfigResourceTypes.TOPIC, name, configNames: ['max.message.bytes'] })),
    });
    for (const resource of described.resources) {
      topicMaxMessageBytes[resource.resourceName] = numberFrom(resource.configEntries, 'max.message.bytes') ?? brokerMaxMessageBytes;
    }
  }
  return { brokerMaxMessageBytes, topicMaxMessageBytes };
}

/** The largest record any of `topics` accepts (the broker's limit for a topic not described). */
export function largestRecord(limits: RecordLimits, topics: string[]): number {
  return Math.max(limits.brokerMaxMessageBytes, ...topics.map((t) => limits.topicMaxMessageBytes[t] ?? limits.brokerMaxMessageBytes));
}

/** Fetch limits that let a record of `largestRecordBytes` (plus batch overhead) through, never below kafkajs's defaults. */
export function fetchSizing(largestRecordBytes: number): FetchSizing {
  const maxBytesPerPartition = Math.max(1_048_576, largestRecordBytes + 65_536);
  return { maxBytesPerPartition, maxBytes: Math.max(10_485_760, 2 * maxBytesPerPartition) };
}
