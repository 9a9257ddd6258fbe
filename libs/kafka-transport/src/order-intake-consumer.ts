/**
 * Consumes `orders.events.v1`: each record is validated and appended by the OrderFactIntake; a malformed record
 * goes to the dead-letter topic with its problems and the consumer goes on. Offsets are committed after the
 * writes, so a crash re-reads records, which the intake recognises as duplicates.
 */
import type { Consumer, Kafka, Producer } from 'kafkajs';
import type { OrderFactIntake } from '@aftersales/order-facts';

export interface OrderIntakeConsumerOptions {
  groupId: string;
  topic: string;
  deadLetterTopic: string;
  onError?: (error: Error) => void;
}

export class OrderIntakeConsumer {
  private consumer?: Consumer;
  accepted = 0;
  rejected = 0;

  constructor(
    private readonly kafka: Kafka,
    private readonly producer: Producer,
    private readonly intake: OrderFactIntake,
    private readonly options: OrderIntakeConsumerOptions,
  ) {}

  async start(): Promise<void> {
    const consumer = this.kafka.consumer({ groupId: this.options.groupId, maxWaitTimeInMs: 50, retry: { retries: 30, initialRetryTime: 200, maxRetryTime: 5_000 } });
    this.consumer = consumer;
    await consumer.connect();
    await consumer.subscribe({ topic: this.options.topic, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      eachBatch: async ({ batch, heartbeat, isRunning, isStale, resolveOffset }) => {
        for (const message of batch.messages) {
          if (!isRunning() || isStale()) return;
          let raw: unknown;
          let problem: string | undefined;
          try {
            raw = JSON.parse(message.value?.toString('utf8') ?? '');
          } catch {
            problem = 'record is not JSON';
          }
          if (!problem) {
            const result = await this.intake.ingestOne(raw, { deliveredBy: this.options.topic });
            if (result.status === 'rejected') problem = result.problems.map((p) => `${p.field}: ${p.problems.join('; ')}`).join(' | ');
            else this.accepted += result.status === 'accepted' ? 1 : 0;
          }
          if (problem) {
            this.rejected += 1;
            await this.producer.send({
              topic: this.options.deadLetterTopic,
              acks: -1,
              messages: [
                {
                  key: message.key,
                  value: message.value,
                  headers: {
                    'dlq-error': problem.slice(0, 2000),
                    'dlq-consumer': this.options.groupId,
                    'dlq-topic': batch.topic,
                    'dlq-partition': String(batch.partition),
                    'dlq-offset': message.offset,
                    'dlq-at': new Date().toISOString(),
                  },
                },
              ],
            });
          }
          await consumer.commitOffsets([{ topic: batch.topic, partition: batch.partition, offset: (BigInt(message.offset) + 1n).toString() }]);
          resolveOffset(message.offset);
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
