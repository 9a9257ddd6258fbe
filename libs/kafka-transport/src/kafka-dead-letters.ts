/**
 * Dead letters to the dead-letter topic: the original record — key, value and headers, byte for byte — plus
 * `dlq-*` headers saying why (`dlq-reason` code, `dlq-error` sentence) and where it came from (`dlq-topic`,
 * `dlq-partition`, `dlq-offset`, `dlq-consumer`). Sent gzip-compressed with acks from all in-sync replicas. If
 * the dead-letter topic refuses the record as too large, the letter is sent without its value
 * (`dlq-value-dropped` gives the size, `dlq-value-sha256` the digest) rather than wedging the consumer.
 */
import { createHash } from 'node:crypto';
import type { IHeaders, Producer } from 'kafkajs';
import { CompressionTypes } from 'kafkajs';
import type { DeadLetter, DeadLetterReason, DeadLetterSink, RawRecord } from '@aftersales/read-models';

export interface DeadLetterRecord {
  consumer: string;
  topic?: string;
  partition?: number | string;
  offset: string;
  reason: DeadLetterReason;
  error: string;
  raw: RawRecord;
}

/** Counts each dead letter (metrics): the source topic and the reason. */
export type DeadLetterObserver = (topic: string, reason: DeadLetterReason) => void;

function tooLarge(error: unknown): boolean {
  for (let e = error as { type?: string; cause?: unknown } | undefined; e; e = e.cause as typeof e) {
    if (e.type === 'MESSAGE_TOO_LARGE' || e.type === 'RECORD_LIST_TOO_LARGE') return true;
  }
  return false;
}

export async function publishDeadLetter(producer: Producer, deadLetterTopic: string, letter: DeadLetterRecord): Promise<void> {
  const headers: IHeaders = {
    ...letter.raw.headers,
    'dlq-reason': letter.reason,
    'dlq-error': letter.error.slice(0, 2000),
    'dlq-consumer': letter.consumer,
    ...(letter.topic !== undefined ? { 'dlq-topic': letter.topic, 'dlq-partition': String(letter.partition) } : {}),
    'dlq-offset': letter.offset,
    'dlq-at': new Date().toISOString(),
  };
  const send = (value: Buffer | null, extra: IHeaders = {}) =>
    producer.send({
      topic: deadLetterTopic,
      acks: -1,
      compression: CompressionTypes.GZIP,
      messages: [{ key: letter.raw.key ?? null, value, headers: { ...headers, ...extra } }],
    });
  try {
    await send(letter.raw.value);
  } catch (error) {
    if (!tooLarge(error) || !letter.raw.value) throw error;
    await send(null, {
      'dlq-value-dropped': String(letter.raw.value.length),
      'dlq-value-sha256': createHash('sha256').update(letter.raw.value).digest('hex'),
    });
  }
}

export class KafkaDeadLetters implements DeadLetterSink {
  constructor(
    private readonly producer: Producer,
    private readonly topic: string,
    private readonly observe?: DeadLetterObserver,
  ) {}

  async send(letter: DeadLetter): Promise<void> {
    const [, topic, partition] = /^kafka:(.+):(\d+)$/.exec(letter.source) ?? [];
    await publishDeadLetter(this.producer, this.topic, {
      consumer: letter.projection,
      topic,
      partition,
      offset: letter.position,
      reason: letter.reason,
      error: letter.error,
      raw: letter.raw ?? { key: letter.eventId ? Buffer.from(letter.eventId) : null, value: letter.payload ?? null },
    });
    this.observe?.(topic ?? letter.source, letter.reason);
  }
}
