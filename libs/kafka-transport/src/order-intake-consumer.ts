/**
 * Consumes `orders.events.v1`: each record is decoded (size, bytes, JSON, type, version), validated and appended
 * by the OrderFactIntake. A record it cannot take goes to the dead-letter topic once, with its reason code and
 * its original bytes, and the consumer goes on. Offsets are committed after each record's write or dead letter,
 * so a crash re-reads records, which the intake recognises as duplicates. A failure of the store itself is not
 * the record's fault: it propagates, kafkajs retries the batch, and the consumer is restarted with backoff.
 */
import type { Consumer, Kafka, KafkaMessage, Producer } from 'kafkajs';
import type { OrderFactIntake } from '@aftersales/order-facts';
import { RecordRejectedError } from '@aftersales/read-models';
import type { DeadLetterObserver } from './kafka-dead-letters';
import { publishDeadLetter } from './kafka-dead-letters';
import { decodeOrderFactRecord } from './order-fact-decoding';
import type { ConsumerStatus, SupervisedGroupOptions } from './supervised-consumer';
import { superviseGroup } from './supervised-consumer';
import type { SupervisedConsumer } from './supervised-consumer';

export interface OrderIntakeConsumerOptions extends SupervisedGroupOptions {
  topic: string;
  deadLetterTopic: string;
  /** Records whose key and value exceed this many bytes (after decompression) are dead-lettered as `too_large`. */
  maxRecordBytes?: number;
  onDeadLetter?: DeadLetterObserver;
}

export class OrderIntakeConsumer {
  private readonly supervised: SupervisedConsumer;
  accepted = 0;
  rejected = 0;

  constructor(
    kafka: Kafka,
    private readonly producer: Producer,
    private readonly intake: OrderFactIntake,
    private readonly options: OrderIntakeConsumerOptions,
  ) {
    this.supervised = superviseGroup(kafka, options, { maxWaitTimeInMs: 50 }, (consumer) => this.attach(consumer));
  }

  get groupId(): string {
    return this.options.groupId;
  }

  status(): ConsumerStatus {
    return this.supervised.status();
  }

  async start(): Promise<void> {
    await this.supervised.start();
  }

  async stop(): Promise<void> {
    await this.supervised.stop();
  }

  /** Why the record cannot be taken, or undefined once it was appended (or recognised as a duplicate). */
  private async take(message: KafkaMessage): Promise<RecordRejectedError | undefined> {
    let record: unknown;
    try {
      record = decodeOrderFactRecord(message, this.options.maxRecordBytes);
    } catch (error) {
      if (error instanceof RecordRejectedError) return error;
      throw error;
    }
    const result = await this.intake.ingestOne(record, { deliveredBy: this.options.topic });
    if (result.status === 'rejected') return new RecordRejectedError('schema', result.problems.map((p) => `${p.field}: ${p.problems.join('; ')}`).join(' | '));
    if (result.status === 'accepted') this.accepted += 1;
    return undefined;
  }

  private async attach(consumer: Consumer): Promise<void> {
    await consumer.connect();
    await consumer.subscribe({ topic: this.options.topic, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      // kafkajs documents destructuring these: they are closures over the batch, not methods needing `this`.
      // eslint-disable-next-line @typescript-eslint/unbound-method
      eachBatch: async ({ batch, heartbeat, isRunning, isStale, resolveOffset }) => {
        for (const message of batch.messages) {
          if (!isRunning() || isStale()) return;
          const problem = await this.take(message);
          if (problem) {
            await publishDeadLetter(this.producer, this.options.deadLetterTopic, {
              consumer: this.options.groupId,
              topic: batch.topic,
              partition: batch.partition,
              offset: message.offset,
              reason: problem.reason,
              error: problem.message,
              raw: { key: message.key ?? null, value: message.value ?? null, headers: message.headers },
            });
            this.rejected += 1;
            this.options.onDeadLetter?.(batch.topic, problem.reason);
          }
          await consumer.commitOffsets([{ topic: batch.topic, partition: batch.partition, offset: (BigInt(message.offset) + 1n).toString() }]);
          resolveOffset(message.offset);
          await heartbeat();
        }
      },
    });
  }
}
