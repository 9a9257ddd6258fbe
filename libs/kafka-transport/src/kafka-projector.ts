/**
 * One projector behind Kafka: its own consumer group, `eachBatch`, short chunks with a heartbeat between them.
 * Each chunk goes through the ProjectionRunner (view + per-stream revisions + checkpoint of this partition in one
 * transaction); only then is the Kafka offset committed. Records at or below the stored checkpoint are skipped,
 * so a crash between the database commit and the offset commit does not apply anything twice (the checkpoint is
 * read unless the batch continues right after the chunk this consumer last committed since joining). A record that
 * cannot be decoded (either CloudEvents content mode; too large, bad bytes, not JSON, wrong schema, unknown type or
 * version) reaches the runner as poison with its reason and original bytes, is dead-lettered once, and its offset
 * is committed like any other. The consumer runs under a SupervisedConsumer: a crash is followed by a restart with
 * backoff. A record with a trace context (its `traceparent` header, else the one its event was created in) is
 * applied inside a consumer span continuing that trace.
 */
import type { Kafka, KafkaMessage } from 'kafkajs';
import { SpanKind, trace } from '@opentelemetry/api';
import type { Span } from '@opentelemetry/api';
import { CORRELATION_ATTRIBUTE, TRACER_NAME, contextFrom, failSpan } from '@aftersales/observability';
import type { TraceCarrier } from '@aftersales/observability';
import type { ProjectionRunner, SourceItem } from '@aftersales/read-models';
import { RecordRejectedError } from '@aftersales/read-models';
import { decodeCloudEvent, traceContextOf } from './cloud-events';
import type { ConsumerStatus, SupervisedGroupOptions } from './supervised-consumer';
import { superviseGroup } from './supervised-consumer';
import type { SupervisedConsumer } from './supervised-consumer';

export interface KafkaProjectorOptions extends SupervisedGroupOptions {
  topics: string[];
  chunkSize?: number;
  /** Records whose key and value exceed this many bytes (after decompression) are dead-lettered as `too_large`. */
  maxRecordBytes?: number;
  /** Fault injection for tests: runs after a chunk is written and before its offset is committed. */
  afterWrite?: (applied: number) => Promise<void>;
}

export function kafkaSource(topic: string, partition: number): string {
  return `kafka:${topic}:${partition}`;
}

export function toSourceItem(message: KafkaMessage, maxRecordBytes?: number): SourceItem {
  return decodeItem(message, maxRecordBytes).item;
}

/** The runner's item for a record, and the trace context the event was created in (structured mode carries it in the event). */
function decodeItem(message: KafkaMessage, maxRecordBytes?: number): { item: SourceItem; created?: TraceCarrier } {
  const raw = { key: message.key ?? null, value: message.value ?? null, headers: message.headers };
  try {
    const { event, created } = decodeCloudEvent(message, maxRecordBytes);
    return { item: { position: message.offset, event, raw }, created };
  } catch (error) {
    const reason = error instanceof RecordRejectedError ? error.reason : 'undecodable';
    return { item: { position: message.offset, poison: { error: (error as Error).message, reason }, raw } };
  }
}

export class KafkaProjector {
  private readonly supervised: SupervisedConsumer;
  /** Events applied since start (for tests and metrics). */
  applied = 0;

  constructor(
    kafka: Kafka,
    readonly runner: ProjectionRunner,
    private readonly options: KafkaProjectorOptions,
  ) {
    this.supervised = superviseGroup(kafka, options, { sessionTimeout: 10_000, heartbeatInterval: 1_000, maxWaitTimeInMs: 10 }, (consumer) =>
      this.attach(consumer),
    );
  }

  get groupId(): string {
    return this.options.groupId;
  }

  get topics(): string[] {
    return this.options.topics;
  }

  status(): ConsumerStatus {
    return this.supervised.status();
  }

  async start(): Promise<void> {
    await this.runner.init();
    await this.supervised.start();
  }

  async stop(): Promise<void> {
    await this.supervised.stop();
  }

  /** The last position of `source` already applied: known in memory when the batch continues from it, else the stored checkpoint. */
  private async doneUpTo(source: string, firstOffset: string | undefined, applied: Map<string, string>): Promise<string | undefined> {
    const known = applied.get(source);
    if (known !== undefined && firstOffset !== undefined && BigInt(firstOffset) === BigInt(known) + 1n) return known;
    return (await this.runner.checkpoints()).get(source);
  }

  private async attach(consumer: import('kafkajs').Consumer): Promise<void> {
    await consumer.connect();
    for (const topic of this.options.topics) await consumer.subscribe({ topic, fromBeginning: true });
    // What this consumer applied per partition since it last joined its group. While it keeps its partitions, a
    // batch that starts right after that position needs no look at the stored checkpoint (one query fewer per
    // batch); after a rebalance, or a batch starting anywhere else, the stored checkpoint decides.
    const applied = new Map<string, string>();
    consumer.on(consumer.events.GROUP_JOIN, () => applied.clear());
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      // kafkajs documents destructuring these: they are closures over the batch, not methods needing `this`.
      // eslint-disable-next-line @typescript-eslint/unbound-method
      eachBatch: async ({ batch, heartbeat, isRunning, isStale, resolveOffset }) => {
        const source = kafkaSource(batch.topic, batch.partition);
        const done = await this.doneUpTo(source, batch.messages[0]?.offset, applied);
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
          const records = fresh.slice(i, i + chunk);
          const decoded = records.map((m) => decodeItem(m, this.options.maxRecordBytes));
          const items = decoded.map((d) => d.item);
          const spans = records.flatMap((m, j) => applySpan(this.runner.projection.name, batch.topic, batch.partition, m, decoded[j]) ?? []);
          let outcome: Awaited<ReturnType<ProjectionRunner['process']>>;
          applied.delete(source); // known again only once this chunk's offset is committed
          try {
            outcome = await this.runner.process(source, items);
          } catch (error) {
            for (const span of spans) failSpan(span, error);
            throw error;
          } finally {
            for (const span of spans) span.end();
          }
          this.applied += outcome.applied;
          await this.options.afterWrite?.(outcome.applied);
          const next = (BigInt(items[items.length - 1].position) + 1n).toString();
          await consumer.commitOffsets([{ topic: batch.topic, partition: batch.partition, offset: next }]);
          resolveOffset(items[items.length - 1].position);
          applied.set(source, items[items.length - 1].position);
          await heartbeat();
        }
      },
    });
  }
}

/** A consumer span continuing the record's trace (its `traceparent` header, else its event's); none for a record without one. */
function applySpan(
  projection: string,
  topic: string,
  partition: number,
  message: KafkaMessage,
  { item, created }: { item: SourceItem; created?: TraceCarrier },
): Span | undefined {
  const carrier = traceContextOf(message.headers, created);
  if (!carrier.traceparent) return undefined;
  const event = item.event;
  return trace.getTracer(TRACER_NAME).startSpan(
    `projector ${projection} apply`,
    {
      kind: SpanKind.CONSUMER,
      attributes: {
        'messaging.system': 'kafka',
        'messaging.operation.type': 'process',
        'messaging.destination.name': topic,
        'messaging.destination.partition.id': String(partition),
        'messaging.kafka.offset': Number(message.offset),
        'aftersales.projection': projection,
        ...(event ? { 'aftersales.stream_id': event.streamId, 'aftersales.event_type': event.type } : { 'aftersales.poison': true }),
        ...(event?.correlationId ? { [CORRELATION_ATTRIBUTE]: event.correlationId } : {}),
      },
    },
    contextFrom(carrier),
  );
}
