/**
 * Relay: the event store's global feed → Kafka. Reads a page after its checkpoint, publishes it (case streams to
 * the case-events topic keyed by case id, order streams to the order-facts topic keyed by order id), waits for
 * the broker's acknowledgement from all in-sync replicas, and only then moves its checkpoint. A crash between
 * the two republishes the page: delivery is at-least-once, consumers skip what they have already applied.
 */
import type { Producer } from 'kafkajs';
import type { EventStore, StoredEvent } from '@aftersales/event-store';
import { PolledWork, drainFeed } from '@aftersales/read-models';
import type { SqlClient } from '@aftersales/sql-client';
import { toKafkaMessage } from './cloud-events';
import type { KafkaTopics } from './topics';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS relay_checkpoints (
  relay      TEXT PRIMARY KEY,
  position   TEXT NOT NULL,
  published  BIGINT NOT NULL DEFAULT 0,
  updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);`;

export interface RelayOptions {
  name?: string;
  batchSize?: number;
  idleMs?: number;
  onError?: (error: Error) => void;
  /** Fault injection for tests: runs after a page is published and before the checkpoint moves. */
  afterPublish?: (page: StoredEvent[]) => Promise<void>;
}

export class EventRelay extends PolledWork {
  readonly name: string;

  constructor(
    private readonly store: EventStore,
    private readonly producer: Producer,
    private readonly sql: SqlClient,
    private readonly topics: KafkaTopics,
    private readonly options: RelayOptions = {},
  ) {
    super(options.idleMs ?? 50, options.onError);
    this.name = options.name ?? 'kafka';
  }

  async init(): Promise<void> {
    await this.sql.applySchema(SCHEMA);
  }

  async checkpoint(): Promise<string | undefined> {
    const rows = await this.sql.query<{ position: string }>('SELECT position FROM relay_checkpoints WHERE relay = $1', [this.name]);
    return rows.rows[0]?.position;
  }

  private topicOf(event: StoredEvent): string | undefined {
    if (event.streamId.startsWith('case-')) return this.topics.caseEvents;
    if (event.streamId.startsWith('order-')) return this.topics.orderFacts;
    return undefined;
  }

  /** Publishes everything after the checkpoint; returns how many events were read. */
  async pump(): Promise<number> {
    return drainFeed(this.store, () => this.checkpoint(), this.options.batchSize ?? 500, async (page) => {
      const byTopic = new Map<string, ReturnType<typeof toKafkaMessage>[]>();
      for (const event of page) {
        const topic = this.topicOf(event);
        if (!topic) continue;
        byTopic.set(topic, [...(byTopic.get(topic) ?? []), toKafkaMessage(event)]);
      }
      if (byTopic.size) {
        await this.producer.sendBatch({ acks: -1, topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })) });
      }
      await this.options.afterPublish?.(page);
      await this.sql.query(
        `INSERT INTO relay_checkpoints (relay, position, published, updated_at) VALUES ($1, $2, $3, now())
         ON CONFLICT (relay) DO UPDATE SET position = EXCLUDED.position, published = relay_checkpoints.published + EXCLUDED.published, updated_at = now()`,
        [this.name, page[page.length - 1].position, page.length],
      );
    });
  }

  protected pass(): Promise<number> {
    return this.pump();
  }
}
