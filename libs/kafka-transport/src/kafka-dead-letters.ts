/** Dead letters to the dead-letter topic: the original record, the error, and where it came from, in headers. */
import type { Producer } from 'kafkajs';
import type { DeadLetter, DeadLetterSink } from '@aftersales/read-models';

export class KafkaDeadLetters implements DeadLetterSink {
  constructor(
    private readonly producer: Producer,
    private readonly topic: string,
  ) {}

  async send(letter: DeadLetter): Promise<void> {
    const [, topic, partition] = /^kafka:(.+):(\d+)$/.exec(letter.source) ?? [];
    await this.producer.send({
      topic: this.topic,
      acks: -1,
      messages: [
        {
          key: letter.eventId ?? null,
          value: letter.payload ?? null,
          headers: {
            'dlq-error': letter.error.slice(0, 2000),
            'dlq-consumer': letter.projection,
            'dlq-source': letter.source,
            ...(topic ? { 'dlq-topic': topic, 'dlq-partition': partition } : {}),
            'dlq-offset': letter.position,
            'dlq-at': new Date().toISOString(),
          },
        },
      ],
    });
  }
}
