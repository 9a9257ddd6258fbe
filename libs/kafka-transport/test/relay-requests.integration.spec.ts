/**
 * The relay reads large pages of the feed but sends them in produce requests of a bounded size, so no record batch
 * nears the broker's limit however large the page: every event arrives once, in its stream's order. Real broker,
 * real store (PostgreSQL when the run has one, else PGlite).
 */
import { randomUUID } from 'node:crypto';
import type { Admin, Consumer, Kafka, Producer } from 'kafkajs';
import type { EventToAppend } from '@aftersales/event-store';
import { kafkaBrokers } from '@aftersales/local-servers';
import type { Storage } from '@aftersales/storage';
import { kafkaClient } from '../../../apps/api/src/composition/kafka-background';
import { describeWithServer, postgresUrl } from '../../../test/harness/servers';
import { pgliteStorage, postgresStorage } from '../../../test/harness/store-matrix';
import type { KafkaTopics } from '../src';
import { EventRelay, ensureTopics, fromKafkaMessage, topicsWithSuffix } from '../src';

jest.setTimeout(120_000);

const brokers = kafkaBrokers();
const CASES = 3;
const EVENTS_PER_CASE = 10;

/** A case event with about a kilobyte of data. */
const acknowledged = (caseId: string, n: number): EventToAppend => ({
  eventId: randomUUID(),
  type: 'CaseAcknowledged',
  schemaVersion: 1,
  data: { caseId, note: `${n} ${'x'.repeat(1000)}` },
  metadata: { occurredAt: '2026-03-02T09:00:00.000Z', actor: { type: 'agent', id: 'agent-1' }, correlationId: `c-${n}`, causationId: `c-${n}` },
});

describeWithServer(
  'a Kafka broker',
  brokers !== undefined,
  'Install Java 17+ and Maven (the test run then starts Apache Kafka from Maven Central jars) or set KAFKA_BROKERS.',
  'The relay sends a page in requests of a bounded size',
  () => {
    let storage: Storage;
    let kafka: Kafka;
    let admin: Admin;
    let producer: Producer;
    let consumer: Consumer | undefined;
    let topics: KafkaTopics;
    let produceRequests = 0;

    beforeEach(async () => {
      storage = postgresUrl() ? await postgresStorage() : await pgliteStorage();
      topics = topicsWithSuffix(`.t${randomUUID().slice(0, 8)}`);
      kafka = kafkaClient(brokers!, 'relay-requests-test');
      admin = kafka.admin();
      await admin.connect();
      await ensureTopics(admin, topics);
      producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
      await producer.connect();
      // The relay's produce requests, counted where it makes them: a request the client retries on the wire (a
      // fresh topic's leader not yet known to it, on a busy machine) is still one request of the relay's.
      produceRequests = 0;
      const sendBatch = producer.sendBatch.bind(producer);
      producer.sendBatch = (batch) => {
        produceRequests += 1;
        return sendBatch(batch);
      };
      // Given a feed of 30 events of about a kilobyte, ten per case.
      for (let c = 0; c < CASES; c++) {
        const caseId = randomUUID();
        for (let n = 0; n < EVENTS_PER_CASE; n++) await storage.eventStore.append(`case-${caseId}`, [acknowledged(caseId, n)], n === 0 ? 'no_stream' : n - 1);
      }
    });
    afterEach(async () => {
      await consumer?.disconnect();
      await producer.disconnect();
      await admin.deleteTopics({ topics: Object.values(topics) }).catch(() => undefined);
      await admin.disconnect();
      await storage.close();
    });

    /** Every record read back: its content type and the event decoded from it. */
    let decoded: Array<{ contentType: string; event: ReturnType<typeof fromKafkaMessage> }> = [];

    async function readBack(count: number): Promise<Array<{ streamId: string; revision: number }>> {
      const seen: Array<{ streamId: string; revision: number }> = [];
      decoded = [];
      consumer = kafka.consumer({ groupId: `relay-requests-${randomUUID()}`, maxWaitTimeInMs: 50 });
      await consumer.connect();
      await consumer.subscribe({ topic: topics.caseEvents, fromBeginning: true });
      const all = new Promise<void>((resolve) => {
        void consumer!.run({
          eachMessage: ({ message }) => {
            const event = fromKafkaMessage(message);
            decoded.push({ contentType: String(message.headers?.['content-type']), event });
            seen.push({ streamId: event.streamId, revision: event.revision });
            if (seen.length >= count) resolve();
            return Promise.resolve();
          },
        });
      });
      await all;
      return seen;
    }

    it('sends one page of 30 kB in requests of at most 8 KiB, every event once and in its stream order', async () => {
      const relay = new EventRelay(storage.eventStore, producer, storage.readModels, topics, { name: `relay-${randomUUID()}`, maxRequestBytes: 8 * 1024 });
      await relay.init();

      // When the relay publishes the feed (one page: 30 events are fewer than a page).
      expect(await relay.pump()).toBe(CASES * EVENTS_PER_CASE);

      // Then it took several requests, and a consumer reads each event once, each stream in revision order.
      expect(produceRequests).toBeGreaterThanOrEqual(4);
      const seen = await readBack(CASES * EVENTS_PER_CASE);
      expect(seen).toHaveLength(CASES * EVENTS_PER_CASE);
      const byStream = new Map<string, number[]>();
      for (const { streamId, revision } of seen) byStream.set(streamId, [...(byStream.get(streamId) ?? []), revision]);
      expect([...byStream.values()]).toEqual(Array.from({ length: CASES }, () => Array.from({ length: EVENTS_PER_CASE }, (_, n) => n)));
    });

    it('sends the same page in a single request under the default bound', async () => {
      const relay = new EventRelay(storage.eventStore, producer, storage.readModels, topics, { name: `relay-${randomUUID()}` });
      await relay.init();

      expect(await relay.pump()).toBe(CASES * EVENTS_PER_CASE);

      expect(produceRequests).toBe(1);
    });

    it('reads a topic holding binary records of an earlier release and structured ones into the same events', async () => {
      // Given the feed published once in binary content mode (as an earlier release wrote it), then in structured mode.
      for (const mode of ['binary', 'structured'] as const) {
        const relay = new EventRelay(storage.eventStore, producer, storage.readModels, topics, { name: `relay-${mode}-${randomUUID()}`, mode });
        await relay.init();
        expect(await relay.pump()).toBe(CASES * EVENTS_PER_CASE);
      }

      // When a consumer reads the topic, then every event comes out of both records, the same.
      await readBack(2 * CASES * EVENTS_PER_CASE);
      const byMode = (type: string) => new Map(decoded.filter((d) => d.contentType === type).map((d) => [d.event.eventId, d.event]));
      const binary = byMode('application/json');
      const structured = byMode('application/cloudevents+json');
      expect(binary.size).toBe(CASES * EVENTS_PER_CASE);
      expect(structured.size).toBe(CASES * EVENTS_PER_CASE);
      for (const [id, event] of structured) expect(binary.get(id)).toEqual(event);
    });
  },
);
