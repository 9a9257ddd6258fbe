/**
 * One projector behind Kafka: its own consumer group, `eachBatch`, short chunks with a heartbeat between them.
 * Each chunk goes through the ProjectionRunner (view + per-stream revisions + checkpoint of this partition in one
 * transaction); only then is the Kafka offset committed. Records at or below the stored checkpoint are skipped,
 * so a crash between the database commit and the offset commit does not apply anything twice.
 */
import type { Consumer, Kafka, KafkaMessage } from 'kafkajs';
import type { ProjectionRunner, SourceItem } from '@aftersales/read-models';
import { fromKafkaMessage } from './cloud-events';

export interface KafkaProjectorOptions {
  groupId: string;
  topics: string[];
  chunkSize?: number;
  onError?: (error: Error) => void;
  /** Fault injection for tests: runs after a chunk is written and before its offset is committed. */
  afterWrite?: (applied: number) => Promise<void>;
}

export function kafkaSource(topic: string, partition: number): string {
  return `kafka:${topic}:${partition}`;
}

function toItem(message: KafkaMessage): SourceItem {
  try {
    return { position: message.offset, event: fromKafkaMessage(message as never) };
  } catch (error) {
    return { position: message.offset, poison: { error: (error as Error).message, payload: message.value?.toString('utf8') } };
  }
}

export class KafkaProjector {
  private consumer?: Consumer;
  /** Events applied since start (for tests and metrics). */
  applied = 0;

  constructor(
    private readonly kafka: Kafka,
    readonly runner: ProjectionRunner,
    private readonly options: KafkaProjectorOptions,
  ) {}

  get groupId(): string {
    return this.options.groupId;
  }

  get topics(): string[] {
    return this.options.topics;
  }

  async start(): Promise<void> {
    await this.runner.init();
    const consumer = this.kafka.consumer({
      groupId: this.options.groupId,
      sessionTimeout: 10_000,
      heartbeatInterval: 1_000,
      maxWaitTimeInMs: 10,
      retry: { retries: 30, initialRetryTime: 200, maxRetryTime: 5_000 },
    });
    this.consumer = consumer;
    await consumer.connect();
    for (const topic of this.options.topics) await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      eachBatch: async ({ batch, heartbeat, isRunning, isStale, resolveOffset }) => {
        const source = kafkaSource(batch.topic, batch.partition);
        const done = (await this.runner.checkpoints()).get(source);
        const fresh = batch.messages.filter((m) => done === undefined || BigInt(m.offset) > BigInt(done));
        const skipped = batch.messages.length - fresh.length;
        if (skipped > 0) {
          // Applied before a restart (the checkpoint is ahead of the committed offset): move past, apply nothing.
          const lastSkipped = batch.messages[skipped - 1].offset;
          await consumer.commitOffsets([{ topic: batch.topic, partition: batch.partition, offset: (BigInt(lastSkipped) + 1n).toString() }]);
          resolveOffset(lastSkipped);
        }
        const chunk = this.options.chunkSize ?? 500;
        for (let i = 0; i < fresh.length; i += chunk) {
          if (!isRunning() || isStale()) return;
          const items = fresh.slice(i, i + chunk).map(toItem);
          const outcome = await this.runner.process(source, items);
          this.applied += outcome.applied;
          await this.options.afterWrite?.(outcome.applied);
          const next = (BigInt(items[items.length - 1].position) + 1n).toString();
          await consumer.commitOffsets([{ topic: batch.topic, partition: batch.partition, offset: next }]);
          resolveOffset(items[items.length - 1].position);
          await heartbeat();
        }
      },
    });
    consumer.on(consumer.events.CRASH, (event) => this.options.onError?.(event.payload.error));
  }

  async stop(): Promise<void> {
    await this.consumer?.disconnect();
    this.consumer = undefined;
  }
}
