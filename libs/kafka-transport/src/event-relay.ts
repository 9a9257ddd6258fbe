/**
 * Relay: the event store's global feed → Kafka. Reads a page after its checkpoint, publishes it (case streams to
 * the case-events topic keyed by case id, order streams to the order-facts topic keyed by order id, early-warning
 * streams to the early-warnings topic keyed by signal key) in feed order, in produce requests of a bounded size,
 * waits for the broker's acknowledgement of each from all in-sync replicas, and only then moves its checkpoint.
 * A crash in between republishes the page: delivery is at-least-once, consumers skip what they have already applied.
 * An event appended inside a trace (`metadata.traceparent`) is published inside a `publish` span of that trace,
 * whose context travels in the record's `traceparent` header.
 */
import type { Producer } from 'kafkajs';
import { SpanKind, trace } from '@opentelemetry/api';
import type { Span } from '@opentelemetry/api';
import { CORRELATION_ATTRIBUTE, TRACER_NAME, contextFrom, failSpan, traceCarrier } from '@aftersales/observability';
import type { TraceCarrier } from '@aftersales/observability';
import { isEarlyWarningStream } from '@aftersales/early-warning';
import type { EventStore, StoredEvent } from '@aftersales/event-store';
import { PolledWork, drainFeed } from '@aftersales/read-models';
import { ddlStatements, migrate } from '@aftersales/sql-client';
import type { SqlClient } from '@aftersales/sql-client';
import { toKafkaMessage } from './cloud-events';
import type { CloudEventsMode, KafkaRecord } from './cloud-events';
import type { KafkaTopics } from './topics';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS relay_checkpoints (
  relay      TEXT PRIMARY KEY,
  position   TEXT NOT NULL,
  published  BIGINT NOT NULL DEFAULT 0,
  updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);`;

/**
 * Events read from the feed per page. Larger pages keep the relay ahead when it shares its process with busy
 * consumers: each page costs the same few round trips (checkpoint, read, send, checkpoint) whatever its size.
 */
const DEFAULT_PAGE = 2_000;
/** Bytes per produce request, so that no partition's record batch nears the broker's default limit (1 MiB). */
const DEFAULT_REQUEST_BYTES = 512 * 1024;

/** A message's size on the wire, roughly: key, value, header names and values. */
function messageBytes(message: KafkaRecord): number {
  let size = Buffer.byteLength(message.key) + Buffer.byteLength(message.value) + 16;
  for (const [name, value] of Object.entries(message.headers)) size += name.length + Buffer.byteLength(value) + 2;
  return size;
}

export interface RelayOptions {
  name?: string;
  /** Events read from the feed per page (2,000 by default). */
  batchSize?: number;
  /** Bytes per produce request (512 KiB by default); a page is sent in as many requests as it needs. */
  maxRequestBytes?: number;
  /** CloudEvents content mode of the records written (structured by default; consumers read both). */
  mode?: CloudEventsMode;
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
    await migrate(this.sql, 'relay', [{ version: 1, name: 'relay checkpoints', statements: ddlStatements(SCHEMA) }]);
  }

  async checkpoint(): Promise<string | undefined> {
    const rows = await this.sql.query<{ position: string }>('SELECT position FROM relay_checkpoints WHERE relay = $1', [this.name]);
    return rows.rows[0]?.position;
  }

  private topicOf(event: StoredEvent): string | undefined {
    if (event.streamId.startsWith('case-')) return this.topics.caseEvents;
    if (event.streamId.startsWith('order-')) return this.topics.orderFacts;
    if (isEarlyWarningStream(event.streamId)) return this.topics.earlyWarnings;
    return undefined;
  }

  /** Publishes everything after the checkpoint; returns how many events were read. */
  async pump(): Promise<number> {
    return drainFeed(
      this.store,
      () => this.checkpoint(),
      this.options.batchSize ?? DEFAULT_PAGE,
      async (page) => {
        await this.publish(page);
        await this.options.afterPublish?.(page);
        await this.sql.query(
          `INSERT INTO relay_checkpoints (relay, position, published, updated_at) VALUES ($1, $2, $3, now())
         ON CONFLICT (relay) DO UPDATE SET position = EXCLUDED.position, published = relay_checkpoints.published + EXCLUDED.published, updated_at = now()`,
          [this.name, page[page.length - 1].position, page.length],
        );
      },
    );
  }

  /** Sends a page in feed order, in requests of at most `maxRequestBytes` (a record larger than that goes alone), each acknowledged by all in-sync replicas. */
  private async publish(page: StoredEvent[]): Promise<void> {
    const spans: Span[] = [];
    const requests: Array<Map<string, KafkaRecord[]>> = [];
    const limit = this.options.maxRequestBytes ?? DEFAULT_REQUEST_BYTES;
    let bytes = Infinity;
    for (const event of page) {
      const topic = this.topicOf(event);
      if (!topic) continue;
      const span = publishSpan(event, topic);
      if (span) spans.push(span);
      const hop = span ? traceCarrier(trace.setSpan(contextFrom(event.metadata as TraceCarrier), span)) : {};
      const message = toKafkaMessage(event, hop, this.options.mode);
      const size = messageBytes(message);
      if (bytes + size > limit) {
        requests.push(new Map());
        bytes = 0;
      }
      bytes += size;
      const byTopic = requests[requests.length - 1];
      const messages = byTopic.get(topic) ?? [];
      if (!messages.length) byTopic.set(topic, messages);
      messages.push(message);
    }
    try {
      for (const byTopic of requests) {
        await this.producer.sendBatch({ acks: -1, topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })) });
      }
    } catch (error) {
      for (const span of spans) failSpan(span, error);
      throw error;
    } finally {
      for (const span of spans) span.end();
    }
  }

  protected pass(): Promise<number> {
    return this.pump();
  }
}

/** A producer span in the trace the event was appended in; none for an event appended outside any trace. */
function publishSpan(event: StoredEvent, topic: string): Span | undefined {
  const created = event.metadata as TraceCarrier;
  if (typeof created.traceparent !== 'string') return undefined;
  return trace.getTracer(TRACER_NAME).startSpan(
    `${topic} publish`,
    {
      kind: SpanKind.PRODUCER,
      attributes: {
        'messaging.system': 'kafka',
        'messaging.operation.type': 'send',
        'messaging.destination.name': topic,
        'messaging.message.id': event.eventId,
        'aftersales.stream_id': event.streamId,
        'aftersales.event_type': event.type,
        [CORRELATION_ATTRIBUTE]: event.metadata.correlationId,
      },
    },
    contextFrom(created),
  );
}
