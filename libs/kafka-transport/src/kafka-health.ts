/**
 * What an operator asks of Kafka: is the cluster reachable, and how far behind is each consumer group
 * (committed offset against the partition's high watermark). Uses its own admin client with short timeouts and
 * few retries, so a health probe or a metrics scrape answers quickly while the broker is down.
 */
import type { Admin, Kafka } from 'kafkajs';

export interface ConsumerGroupWatch {
  groupId: string;
  topics: string[];
}

export interface PartitionLag {
  groupId: string;
  topic: string;
  partition: number;
  /** Records on the partition the group has not committed past. */
  lag: number;
}

export class KafkaHealth {
  private admin?: Promise<Admin>;

  constructor(
    private readonly kafka: Kafka,
    private readonly groups: ConsumerGroupWatch[],
  ) {}

  /** Throws when no broker answers. */
  async cluster(): Promise<{ brokers: number; controller: number | null }> {
    const described = await this.withAdmin((admin) => admin.describeCluster());
    return { brokers: described.brokers.length, controller: described.controller };
  }

  async consumerLag(): Promise<PartitionLag[]> {
    return this.withAdmin(async (admin) => {
      const lags: PartitionLag[] = [];
      const watermarks = new Map<string, Map<number, { high: number; low: number }>>();
      for (const topic of new Set(this.groups.flatMap((g) => g.topics))) {
        const offsets = await admin.fetchTopicOffsets(topic);
        watermarks.set(topic, new Map(offsets.map((o) => [o.partition, { high: Number(o.high), low: Number(o.low) }])));
      }
      for (const group of this.groups) {
        for (const committed of await admin.fetchOffsets({ groupId: group.groupId, topics: group.topics })) {
          for (const p of committed.partitions) {
            const mark = watermarks.get(committed.topic)?.get(p.partition);
            if (!mark) continue;
            const position = Number(p.offset) < 0 ? mark.low : Number(p.offset);
            lags.push({ groupId: group.groupId, topic: committed.topic, partition: p.partition, lag: Math.max(0, mark.high - position) });
          }
        }
      }
      return lags;
    });
  }

  /** Records each watched group has not committed past, summed over its partitions. */
  async lagByGroup(): Promise<Map<string, number>> {
    const totals = new Map<string, number>(this.groups.map((g) => [g.groupId, 0]));
    for (const l of await this.consumerLag()) totals.set(l.groupId, (totals.get(l.groupId) ?? 0) + l.lag);
    return totals;
  }

  async close(): Promise<void> {
    const admin = this.admin;
    this.admin = undefined;
    if (admin) await (await admin.catch(() => undefined))?.disconnect();
  }

  /** A failed call drops the admin client, so the next one reconnects from scratch. */
  private async withAdmin<T>(work: (admin: Admin) => Promise<T>): Promise<T> {
    this.admin ??= (async () => {
      const admin = this.kafka.admin({ retry: { retries: 1, initialRetryTime: 100, maxRetryTime: 500 } });
      await admin.connect();
      return admin;
    })();
    try {
      return await work(await this.admin);
    } catch (error) {
      await this.close().catch(() => undefined);
      throw error;
    }
  }
}
