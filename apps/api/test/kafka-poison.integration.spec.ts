/**
 * Records no consumer can process, through a real Kafka broker: a NUL byte, invalid JSON, a wrong schema, an
 * unknown type, an unknown version, a record over the limit sent plain and one sent gzip-compressed (2 MB each;
 * the source topics accept 4 MB, so the broker takes them), and, on the case events, an event no view can apply.
 * They are interleaved with good records on the same and the other partitions. Each must reach the dead-letter
 * topic exactly once per consumer, with its reason header and its exact original bytes; every good record must
 * reach the views; every group must commit past everything (lag 0); the dead letters are counted by reason.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { Admin, IHeaders, Kafka, Producer, RecordMetadata } from 'kafkajs';
import { CompressionTypes } from 'kafkajs';
import request from 'supertest';
import type { KafkaTopics } from '@aftersales/kafka-transport';
import { CLOUDEVENTS_JSON, fetchSizing, topicsWithSuffix, waitForTopicLeaders } from '@aftersales/kafka-transport';
import { kafkaBrokers } from '@aftersales/local-servers';
import { Metrics } from '@aftersales/observability';
import type { DeadLetterReason } from '@aftersales/read-models';
import { PROJECTION_NAMES } from '@aftersales/read-models';
import { kafkaClient } from '../../../apps/api/src/composition/kafka-background';
import type { KafkaBackground } from '../../../apps/api/src/composition/kafka-background';
import type { ApiUnderTest } from '../../../test/harness/api-under-test';
import { bearer, openCaseBody, startApi } from '../../../test/harness/api-under-test';
import { describeWithServer, postgresUrl } from '../../../test/harness/servers';
import { pgliteStorage, postgresStorage } from '../../../test/harness/store-matrix';
import { viewsMatchStore, waitFor } from '../../../test/harness/views-match-store';

jest.setTimeout(180_000);

const brokers = kafkaBrokers();
/** The source topics accept records this large, so a 2 MB record sent uncompressed is taken by the broker. */
const SOURCE_TOPIC_MAX_BYTES = 4 * 1024 * 1024;
/** The header of a structured-mode record (CloudEvents Kafka binding). */
const STRUCTURED = { 'content-type': CLOUDEVENTS_JSON };
const TWO_MB = 2 * 1024 * 1024;

interface Letter {
  headers: Record<string, string>;
  key: Buffer | null;
  value: Buffer | null;
}

interface Poison {
  kind: string;
  reason: DeadLetterReason;
  partition: number;
  key: string;
  value: Buffer;
  headers: IHeaders;
  gzip?: boolean;
  /** Filled in once the broker took it. */
  offset?: string;
}

const ceHeaders = (over: Record<string, string> = {}): IHeaders => ({
  ce_specversion: '1.0',
  ce_id: randomUUID(),
  ce_source: '/aftersales/cases',
  ce_type: 'aftersales.CaseAcknowledged.v1',
  ce_eventtype: 'CaseAcknowledged',
  ce_schemaversion: '1',
  ce_streamid: `case-poison-${randomUUID()}`,
  ce_revision: '1',
  ce_time: '2026-03-02T09:00:00.000Z',
  ce_actortype: 'agent',
  ce_actorid: 'agent-1',
  'content-type': 'application/json',
  ...over,
});

const bigJson = () => Buffer.from(JSON.stringify({ note: 'a'.repeat(TWO_MB) }));

describeWithServer(
  'a Kafka broker',
  brokers !== undefined,
  'Install Java 17+ and Maven (the test run then starts Apache Kafka from Maven Central jars) or set KAFKA_BROKERS.',
  'Poison records on Kafka never stop anything',
  () => {
    let api: ApiUnderTest;
    let topics: KafkaTopics;
    let prefix: string;
    let kafka: Kafka;
    let admin: Admin;
    let producer: Producer;

    beforeEach(async () => {
      const suffix = `.p${randomUUID().slice(0, 8)}`;
      topics = topicsWithSuffix(suffix);
      prefix = `test${suffix}`;
      kafka = kafkaClient(brokers!, `${prefix}-feeder`);
      admin = kafka.admin();
      await admin.connect();
      const sources = [topics.caseEvents, topics.orderFacts, topics.ordersInbound];
      await admin.createTopics({
        waitForLeaders: false,
        topics: sources.map((topic) => ({
          topic,
          numPartitions: 3,
          replicationFactor: 1,
          configEntries: [{ name: 'max.message.bytes', value: String(SOURCE_TOPIC_MAX_BYTES) }],
        })),
      });
      await waitForTopicLeaders(admin, sources);
      producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
      await producer.connect();
      const storage = postgresUrl() ? await postgresStorage() : await pgliteStorage();
      api = await startApi(storage, {
        kafka: { brokers: brokers!, topics, groupPrefix: prefix, supervision: { initialDelayMs: 200, maxDelayMs: 2_000 } },
      });
    });

    afterEach(async () => {
      await api?.close();
      await producer?.disconnect();
      await admin?.disconnect();
    });

    const background = () => api.background as KafkaBackground;

    async function openBusyCases(n: number): Promise<string[]> {
      const ids: string[] = [];
      for (let i = 0; i < n; i++) {
        const id = (
          await request(api.http)
            .post('/cases')
            .set(bearer('service'))
            .send(openCaseBody({ customerId: `cust-${i % 3}` }))
            .expect(201)
        ).body.caseId;
        await request(api.http).post(`/cases/${id}/acknowledge`).set(bearer('agent')).send({}).expect(200);
        await request(api.http)
          .post(`/cases/${id}/customer-message`)
          .set(bearer('service'))
          .send({ message: `note ${i}` })
          .expect(200);
        ids.push(id);
      }
      return ids;
    }

    async function produce(topic: string, poisons: Poison[]): Promise<void> {
      for (const p of poisons) {
        const [meta]: RecordMetadata[] = await producer.send({
          topic,
          acks: -1,
          ...(p.gzip ? { compression: CompressionTypes.GZIP } : {}),
          messages: [{ key: p.key, value: p.value, headers: p.headers, partition: p.partition }],
        });
        p.offset = meta.baseOffset;
      }
    }

    /** Every record on the dead-letter topic, read from its beginning until `count` arrived. */
    async function readDeadLetters(count: number): Promise<Letter[]> {
      const consumer = kafka.consumer({ groupId: `${prefix}-dlq-reader-${randomUUID()}`, ...fetchSizing(SOURCE_TOPIC_MAX_BYTES * 2) });
      await consumer.connect();
      await consumer.subscribe({ topic: topics.deadLetter, fromBeginning: true });
      const letters: Letter[] = [];
      await consumer.run({
        eachMessage: async ({ message }) => {
          const headers = Object.fromEntries(Object.entries(message.headers ?? {}).map(([k, v]) => [k, String(v)]));
          letters.push({ headers, key: message.key, value: message.value });
        },
      });
      try {
        await waitFor(
          `${count} dead letters`,
          async () => letters.length,
          (n) => n >= count,
          90_000,
        );
      } finally {
        await consumer.disconnect();
      }
      return letters;
    }

    const deadLetterTotal = async () => (await admin.fetchTopicOffsets(topics.deadLetter)).reduce((n, p) => n + Number(p.high), 0);

    async function allGroupsCaughtUp(): Promise<Record<string, number>> {
      return Object.fromEntries(await background().health.lagByGroup());
    }

    async function deadLetterCounts(topic: string): Promise<Record<string, number>> {
      const metric = await api.app.get(Metrics).deadLetters.get();
      return Object.fromEntries(metric.values.filter((v) => v.labels.topic === topic && v.value > 0).map((v) => [String(v.labels.reason), v.value]));
    }

    /**
     * Crashes the records caused. On a loaded machine the group coordinator may still be loading, or drop a member
     * whose session lapsed; such crashes are the broker's and are restarted like any other — they are not counted.
     */
    const crashesLogged = () =>
      api.logLines
        .filter((l) => l.includes('kafka consumer crashed'))
        .map((l) => JSON.parse(l) as { consumer: string; error: string })
        .filter((c) => !/coordinator|member|rebalanc/i.test(c.error));

    function expectEachOnce(letters: Letter[], poisons: Poison[], topic: string, consumers: string[]): void {
      for (const p of poisons) {
        const mine = letters.filter(
          (l) => l.headers['dlq-topic'] === topic && l.headers['dlq-partition'] === String(p.partition) && l.headers['dlq-offset'] === p.offset,
        );
        expect({ kind: p.kind, consumers: mine.map((l) => l.headers['dlq-consumer']).sort() }).toEqual({ kind: p.kind, consumers: [...consumers].sort() });
        for (const letter of mine) {
          expect({ kind: p.kind, reason: letter.headers['dlq-reason'] }).toEqual({ kind: p.kind, reason: p.reason });
          expect(letter.headers['dlq-error']).toBeTruthy();
          expect({ kind: p.kind, sameBytes: letter.value !== null && letter.value.equals(p.value) }).toEqual({ kind: p.kind, sameBytes: true });
          expect(letter.key?.toString()).toBe(p.key);
        }
      }
    }

    it('case events: each poison record is dead-lettered once per view with its reason and bytes; the good ones reach all three views', async () => {
      const first: Poison[] = [
        { kind: 'NUL byte', reason: 'undecodable', partition: 0, key: 'p-nul', value: Buffer.from('{"note":"a\u0000b"}'), headers: ceHeaders() },
        { kind: 'invalid JSON', reason: 'invalid_json', partition: 1, key: 'p-json', value: Buffer.from('{ this is not json'), headers: ceHeaders() },
        { kind: 'wrong schema', reason: 'schema', partition: 2, key: 'p-schema', value: Buffer.from('{}'), headers: { 'content-type': 'application/json' } },
        // Structured content mode, what the relay writes: the CloudEvent is the value.
        {
          kind: 'structured, invalid JSON',
          reason: 'invalid_json',
          partition: 0,
          key: 'p-s-json',
          value: Buffer.from('{"specversion":"1.0",'),
          headers: STRUCTURED,
        },
        {
          kind: 'structured, no attributes',
          reason: 'schema',
          partition: 1,
          key: 'p-s-schema',
          value: Buffer.from('{"specversion":"1.0","data":{}}'),
          headers: STRUCTURED,
        },
        {
          kind: 'unknown type',
          reason: 'unknown_type',
          partition: 0,
          key: 'p-type',
          value: Buffer.from('{}'),
          headers: ceHeaders({ ce_eventtype: 'CaseTeleported', ce_type: 'aftersales.CaseTeleported.v1' }),
        },
      ];
      const second: Poison[] = [
        {
          kind: 'unknown version',
          reason: 'unknown_version',
          partition: 1,
          key: 'p-version',
          value: Buffer.from('{}'),
          headers: ceHeaders({ ce_schemaversion: '99', ce_type: 'aftersales.CaseAcknowledged.v99' }),
        },
        { kind: '2 MB plain', reason: 'too_large', partition: 2, key: 'p-big', value: randomBytes(TWO_MB), headers: ceHeaders() },
        { kind: '2 MB gzip', reason: 'too_large', partition: 0, key: 'p-big-gzip', value: bigJson(), headers: ceHeaders(), gzip: true },
        {
          kind: 'not applicable',
          reason: 'apply_failed',
          partition: 1,
          key: 'p-apply',
          value: Buffer.from('{"note":"acknowledged before it was opened"}'),
          headers: ceHeaders(),
        },
      ];
      const ids = await openBusyCases(3);
      await produce(topics.caseEvents, first);
      ids.push(...(await openBusyCases(3)));
      await produce(topics.caseEvents, second);
      ids.push(...(await openBusyCases(3)));

      await waitFor('every good record in the three views', () => viewsMatchStore(api, ids), Boolean, 90_000);
      await waitFor('every group committed past everything', allGroupsCaughtUp, (lags) => Object.values(lags).every((lag) => lag === 0), 90_000);
      const poisons = [...first, ...second];
      const views = [...PROJECTION_NAMES];
      // A CaseAcknowledged before its CaseOpened fails every view that folds the case; follow-ups passes over events that do not concern it.
      const folding = views.filter((v) => v !== 'follow-ups');
      const undecoded = poisons.filter((p) => p.reason !== 'apply_failed');
      const total = undecoded.length * views.length + (poisons.length - undecoded.length) * folding.length;
      expect(await deadLetterTotal()).toBe(total); // once per view, never retried onto the topic
      const letters = await readDeadLetters(total);
      expectEachOnce(letters, undecoded, topics.caseEvents, views);
      expectEachOnce(
        letters,
        poisons.filter((p) => p.reason === 'apply_failed'),
        topics.caseEvents,
        folding,
      );

      // The SQL dead-letter table keeps the same bytes (BYTEA), NUL included.
      const nul = first[0];
      const rows = await api.storage.readModels.query<{ projection: string; reason: string; payload: Uint8Array }>(
        'SELECT projection, reason, payload FROM projection_dead_letters WHERE source = $1 AND position = $2 ORDER BY projection',
        [`kafka:${topics.caseEvents}:${nul.partition}`, nul.offset],
      );
      expect(rows.rows.map((r) => [r.projection, r.reason, Buffer.from(r.payload).equals(nul.value)])).toEqual(
        [...views].sort().map((view) => [view, 'undecodable', true]),
      );
      expect(await deadLetterCounts(topics.caseEvents)).toEqual({
        undecodable: views.length,
        invalid_json: 2 * views.length,
        schema: 2 * views.length,
        unknown_type: views.length,
        unknown_version: views.length,
        too_large: 2 * views.length,
        apply_failed: folding.length,
      });
      for (const p of background().projectors) expect(p.status().state).toBe('running');
      expect(crashesLogged()).toEqual([]); // no poison record made a consumer crash
    });

    it('orders.events.v1: each poison record is dead-lettered once with its reason and bytes; the good facts reach the loyalty view', async () => {
      const fact = (orderId: string, amount: number) =>
        Buffer.from(
          JSON.stringify({
            eventId: `${orderId}-placed`,
            type: 'OrderPlaced',
            orderId,
            customerId: 'cust-P',
            merchantId: 'm1',
            occurredAt: '2026-02-01T10:00:00Z',
            amount,
            currency: 'EUR',
          }),
        );
      const good = (orderId: string, amount: number, partition: number) => ({ key: orderId, value: fact(orderId, amount), partition });
      const poisons: Poison[] = [
        { kind: 'NUL byte', reason: 'undecodable', partition: 0, key: 'P9', value: Buffer.from('{"eventId":"x\u0000"}'), headers: {} },
        { kind: 'invalid JSON', reason: 'invalid_json', partition: 1, key: 'P9', value: Buffer.from('{ not json'), headers: {} },
        {
          kind: 'wrong schema',
          reason: 'schema',
          partition: 2,
          key: 'P9',
          value: Buffer.from(
            JSON.stringify({
              eventId: 'neg',
              type: 'OrderPlaced',
              orderId: 'P9',
              customerId: 'cust-P',
              merchantId: 'm1',
              occurredAt: '2026-02-01T10:00:00Z',
              amount: -5,
              currency: 'EUR',
            }),
          ),
          headers: {},
        },
        {
          kind: 'unknown type',
          reason: 'unknown_type',
          partition: 0,
          key: 'P9',
          value: Buffer.from(JSON.stringify({ eventId: 'tp', type: 'OrderTeleported', orderId: 'P9' })),
          headers: {},
        },
        { kind: 'unknown version', reason: 'unknown_version', partition: 1, key: 'P9', value: fact('P9', 10), headers: { ce_schemaversion: '2' } },
        { kind: '2 MB plain', reason: 'too_large', partition: 2, key: 'P9', value: randomBytes(TWO_MB), headers: {} },
        { kind: '2 MB gzip', reason: 'too_large', partition: 0, key: 'P9', value: bigJson(), headers: {}, gzip: true },
      ];
      await producer.send({ topic: topics.ordersInbound, acks: -1, messages: [good('P1', 70, 0), good('P2', 30, 1)] });
      await produce(topics.ordersInbound, poisons.slice(0, 4));
      await producer.send({ topic: topics.ordersInbound, acks: -1, messages: [good('P3', 20, 0), good('P4', 5, 2)] });
      await produce(topics.ordersInbound, poisons.slice(4));
      await producer.send({ topic: topics.ordersInbound, acks: -1, messages: [good('P5', 1, 1), good('P6', 4, 2)] });

      const customer = await waitFor(
        'the six good orders in the loyalty view',
        async () => (await request(api.http).get('/views/loyalty/customers/cust-P').set(bearer('analyst'))).body,
        (b) => b.orders?.count === 6,
        90_000,
      );
      expect(customer.orders).toMatchObject({ count: 6, spend: { EUR: 130 } });
      await waitFor('every group committed past everything', allGroupsCaughtUp, (lags) => Object.values(lags).every((lag) => lag === 0), 90_000);
      expect(await deadLetterTotal()).toBe(poisons.length);
      const letters = await readDeadLetters(poisons.length);
      expectEachOnce(letters, poisons, topics.ordersInbound, [`${prefix}-order-intake`]);
      expect(await deadLetterCounts(topics.ordersInbound)).toEqual({
        undecodable: 1,
        invalid_json: 1,
        schema: 1,
        unknown_type: 1,
        unknown_version: 1,
        too_large: 2,
      });
      expect(background().intake.status().state).toBe('running');
      expect(crashesLogged()).toEqual([]);
    });
  },
);
