/**
 * Events through a real Kafka broker into the three views: the relay publishes the store's feed, one consumer
 * group per projector applies it. The views must hold exactly what a fold of the store gives, after a projector
 * is killed mid-batch, after the relay dies between publish and checkpoint, and after the broker is restarted.
 */
import { randomUUID } from 'node:crypto';
import type { Kafka, Producer } from 'kafkajs';
import request from 'supertest';
import type { KafkaTopics } from '@aftersales/kafka-transport';
import { EventRelay, KafkaDeadLetters, KafkaProjector, ensureTopics, topicsWithSuffix } from '@aftersales/kafka-transport';
import { EscalationProjection, LoyaltyProjection, ProjectionRunner, SatisfactionProjection } from '@aftersales/read-models';
import type { Projection } from '@aftersales/read-models';
import { kafkaClient } from '../../../apps/api/src/composition/kafka-background';
import type { KafkaBackground } from '../../../apps/api/src/composition/kafka-background';
import type { ApiUnderTest } from '../../../test/harness/api-under-test';
import { bearer, openCaseBody, startApi } from '../../../test/harness/api-under-test';
import { kafkaBrokers, killKafka, ownKafkaDir, restartKafka } from '@aftersales/local-servers';
import { describeWithServer, postgresUrl } from '../../../test/harness/servers';
import { pgliteStorage, postgresStorage } from '../../../test/harness/store-matrix';
import { viewsMatchStore as viewsMatch, waitFor } from '../../../test/harness/views-match-store';
import {
  EXPECTED_CUSTOMER_A,
  EXPECTED_IMPACT_AS_OF_LOYALTY,
  EXPECTED_SATISFACTION_BY_MERCHANT,
  LOYALTY_AS_OF,
  ViewScenario,
} from '../../../test/fixtures/view-scenario';

jest.setTimeout(120_000);

interface KafkaRecord {
  headers: Record<string, string>;
  value: string | null;
}

const brokers = kafkaBrokers();

describeWithServer(
  'a Kafka broker',
  brokers !== undefined,
  'Install Java 17+ and Maven (the test run then starts Apache Kafka from Maven Central jars) or set KAFKA_BROKERS.',
  'Kafka transport into the views',
  () => {
    let api: ApiUnderTest;
    let topics: KafkaTopics;
    let prefix: string;

    beforeEach(async () => {
      const suffix = `.t${randomUUID().slice(0, 8)}`;
      topics = topicsWithSuffix(suffix);
      prefix = `test${suffix}`;
    });
    afterEach(async () => {
      await api?.close();
    });

    const storage = () => (postgresUrl() ? postgresStorage() : pgliteStorage());

    /** Every case's row in every view must equal the fold of its stream in the store: nothing lost, nothing doubled. */
    const viewsMatchStore = (caseIds: string[]) => viewsMatch(api, caseIds);

    async function openBusyCases(n: number): Promise<string[]> {
      const ids: string[] = [];
      for (let i = 0; i < n; i++) {
        const id = (
          await request(api.http)
            .post('/cases')
            .set(bearer('service'))
            .send(openCaseBody({ customerId: `cust-${i % 4}` }))
            .expect(201)
        ).body.caseId;
        await request(api.http).post(`/cases/${id}/acknowledge`).set(bearer('agent')).send({}).expect(200);
        await request(api.http)
          .post(`/cases/${id}/assign`)
          .set(bearer('agent'))
          .send({ agentId: `agent-${i % 3}`, team: 'returns' })
          .expect(200);
        await request(api.http)
          .post(`/cases/${id}/customer-message`)
          .set(bearer('service'))
          .send({ message: `note ${i}` })
          .expect(200);
        ids.push(id);
      }
      return ids;
    }

    /** Events in the streams of these cases, as the store holds them (opening records the case and its triage). */
    async function eventsOf(ids: string[]): Promise<number> {
      let n = 0;
      for (const id of ids) n += (await api.store.readStream(`case-${id}`)).length;
      return n;
    }

    function projector(
      kafka: Kafka,
      producer: Producer,
      projection: Projection,
      options: { afterWrite?: (n: number) => Promise<void>; chunkSize?: number } = {},
    ) {
      return new KafkaProjector(kafka, new ProjectionRunner(api.storage.readModels, projection, new KafkaDeadLetters(producer, topics.deadLetter)), {
        groupId: `${prefix}-projector-${projection.name}`,
        topics: projection.name === 'loyalty' ? [topics.caseEvents, topics.orderFacts] : [topics.caseEvents],
        ...options,
      });
    }

    /** The three views' projectors on the manual transport; options go to the escalation one. */
    function threeProjectors(kafka: Kafka, producer: Producer, escalation: { afterWrite?: (n: number) => Promise<void>; chunkSize?: number } = {}) {
      return [
        projector(kafka, producer, new EscalationProjection(), escalation),
        projector(kafka, producer, new SatisfactionProjection()),
        projector(kafka, producer, new LoyaltyProjection()),
      ];
    }

    async function stopAll(projectors: KafkaProjector[], transport: { producer: Producer; admin: { disconnect(): Promise<void> } }) {
      for (const p of projectors) await p.stop();
      await transport.producer.disconnect();
      await transport.admin.disconnect();
    }

    async function manualTransport() {
      const kafka = kafkaClient(brokers!, `${prefix}-manual`);
      const admin = kafka.admin();
      await admin.connect();
      await ensureTopics(admin, topics);
      const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
      await producer.connect();
      return { kafka, admin, producer };
    }

    /** Reads a topic from its beginning with a group of its own until `enough` says so. */
    async function readTopic(kafka: Kafka, topic: string, enough: (records: KafkaRecord[]) => boolean) {
      const consumer = kafka.consumer({ groupId: `${prefix}-reader-${randomUUID()}` });
      await consumer.connect();
      await consumer.subscribe({ topic, fromBeginning: true });
      const records: KafkaRecord[] = [];
      await consumer.run({
        eachMessage: async ({ message }) => {
          const headers = Object.fromEntries(Object.entries(message.headers ?? {}).map(([k, v]) => [k, String(v)]));
          records.push({ headers, value: message.value?.toString('utf8') ?? null });
        },
      });
      await waitFor(`records on ${topic}`, async () => records, enough);
      await consumer.disconnect();
      return records;
    }
    const readDeadLetters = (kafka: Kafka, expected: number) => readTopic(kafka, topics.deadLetter, (r) => r.length >= expected);

    it("carries the caller's correlation id from HTTP onto the events and into their CloudEvents on Kafka", async () => {
      api = await startApi(await storage(), { kafka: { brokers: brokers!, topics, groupPrefix: prefix } });
      const opened = await request(api.http).post('/cases').set(bearer('service')).set('X-Correlation-Id', 'trace-to-kafka-1').send(openCaseBody()).expect(201);
      expect(opened.headers['x-correlation-id']).toBe('trace-to-kafka-1');
      await request(api.http)
        .post(`/cases/${opened.body.caseId}/acknowledge`)
        .set(bearer('agent'))
        .set('X-Correlation-Id', 'trace-to-kafka-2')
        .send({})
        .expect(200);
      const { kafka, admin, producer } = await manualTransport();
      const records = await readTopic(kafka, topics.caseEvents, (r) => r.length >= 3);
      // Structured CloudEvents: the attributes are members of the JSON value.
      const events = records.map((r) => JSON.parse(r.value ?? '{}') as Record<string, string>);
      expect(records.every((r) => r.headers['content-type'] === 'application/cloudevents+json')).toBe(true);
      expect(events.map((e) => [e.eventtype, e.correlationid])).toEqual([
        ['CaseOpened', 'trace-to-kafka-1'],
        ['CaseTriaged', 'trace-to-kafka-1'],
        ['CaseAcknowledged', 'trace-to-kafka-2'],
      ]);
      await producer.disconnect();
      await admin.disconnect();
    });

    it('the hand-computed views come out the same through Kafka (relay, three consumer groups, PostgreSQL views)', async () => {
      api = await startApi(await storage(), { kafka: { brokers: brokers!, topics, groupPrefix: prefix } });
      const story = new ViewScenario(api);
      const { c1, c2, c3 } = await story.run();
      await waitFor('views to match the store', () => viewsMatchStore([c1, c2, c3]), Boolean);
      await waitFor(
        'order facts in the loyalty view',
        async () => (await story.view('/views/loyalty/customers/cust-A')).body.orders.count,
        (n) => n === 2,
      );
      expect((await story.view('/views/satisfaction?groupBy=merchant')).body.groups).toEqual(EXPECTED_SATISFACTION_BY_MERCHANT);
      // Escalation at 14:10: only case 3 is open; GOLD + URGENT gave it 30 min for a first response and 12 h to resolve.
      const escalation = (await story.view('/views/escalation')).body;
      expect(escalation.cases).toEqual([
        expect.objectContaining({
          caseId: c3,
          level: 'L0',
          breached: true,
          firstResponse: expect.objectContaining({ dueAt: '2026-03-02T09:30:00.000Z', breached: true }),
          resolution: expect.objectContaining({ dueAt: '2026-03-02T21:00:00.000Z', breached: false }),
        }),
      ]);
      expect(escalation.breached.map((e: { caseId: string }) => e.caseId)).toEqual([c3]);
      api.clock.set(LOYALTY_AS_OF);
      expect((await story.view('/views/loyalty/customers/cust-A')).body).toEqual(EXPECTED_CUSTOMER_A);
      expect((await story.view('/views/loyalty/impact')).body).toMatchObject(EXPECTED_IMPACT_AS_OF_LOYALTY);
    });

    it('a projector killed mid-batch (after its write, before its offset commit) and restarted: nothing lost or doubled', async () => {
      api = await startApi(await storage());
      const { kafka, admin, producer } = await manualTransport();
      const relay = new EventRelay(api.store, producer, api.storage.readModels, topics, { name: `${prefix}-relay` });
      await relay.init();
      const ids = await openBusyCases(12);
      const events = await eventsOf(ids);
      await relay.pump();

      let chunks = 0;
      let crashed!: () => void;
      const crash = new Promise<void>((resolve) => (crashed = resolve));
      const victim = projector(kafka, producer, new EscalationProjection(), {
        chunkSize: 5,
        afterWrite: async () => {
          chunks += 1;
          if (chunks >= 3) {
            crashed();
            throw new Error('killed after writing, before committing the offset');
          }
        },
      });
      await victim.start();
      await crash;
      await victim.stop();
      const applied = await api.storage.readModels.query<{ n: string }>('SELECT count(*) AS n FROM rm_escalation_cases');
      expect(Number(applied.rows[0].n)).toBeLessThan(12);

      const survivors = threeProjectors(kafka, producer, { chunkSize: 5 });
      for (const p of survivors) await p.start();
      await waitFor('views to match the store after the restart', () => viewsMatchStore(ids), Boolean);
      expect(survivors[0].applied).toBeLessThan(events); // the restarted consumer did not re-apply what the victim wrote

      const more = await openBusyCases(3);
      await relay.pump();
      await waitFor('new events after the restart', () => viewsMatchStore([...ids, ...more]), Boolean);
      await stopAll(survivors, { producer, admin });
    });

    it('the relay dying between publish and checkpoint republishes; the views do not double', async () => {
      api = await startApi(await storage());
      const { kafka, admin, producer } = await manualTransport();
      const ids = await openBusyCases(5);
      const events = await eventsOf(ids);
      const dying = new EventRelay(api.store, producer, api.storage.readModels, topics, {
        name: `${prefix}-relay`,
        afterPublish: async () => {
          throw new Error('killed between publish and checkpoint');
        },
      });
      await dying.init();
      await expect(dying.pump()).rejects.toThrow('killed between publish and checkpoint');
      const relay = new EventRelay(api.store, producer, api.storage.readModels, topics, { name: `${prefix}-relay` });
      await relay.pump();
      const offsets = await admin.fetchTopicOffsets(topics.caseEvents);
      expect(offsets.reduce((n, p) => n + Number(p.high), 0)).toBe(2 * events); // every event twice on the topic
      const projectors = threeProjectors(kafka, producer);
      for (const p of projectors) await p.start();
      await waitFor('views to match the store', () => viewsMatchStore(ids), Boolean);
      await waitFor(
        'every record consumed, each event applied once',
        async () => projectors[0].applied + 0,
        (n) => n === events,
      );
      await stopAll(projectors, { producer, admin });
    });

    it('a poison record goes to the dead-letter topic with its error and offset; the projector goes on', async () => {
      api = await startApi(await storage());
      const { kafka, admin, producer } = await manualTransport();
      await producer.send({ topic: topics.caseEvents, messages: [{ key: 'x', value: 'this is not an event' }] });
      const relay = new EventRelay(api.store, producer, api.storage.readModels, topics, { name: `${prefix}-relay` });
      await relay.init();
      const ids = await openBusyCases(2);
      await relay.pump();
      const p = projector(kafka, producer, new EscalationProjection());
      await p.start();
      await waitFor(
        'the escalation view',
        async () => (await api.storage.readModels.query('SELECT case_id FROM rm_escalation_cases')).rows.length,
        (n) => n === 2,
      );
      const letters = await readDeadLetters(kafka, 1);
      expect(letters[0].headers).toMatchObject({
        'dlq-error': 'not a CloudEvents 1.0 message (ce_specversion)',
        'dlq-topic': topics.caseEvents,
        'dlq-offset': '0',
        'dlq-consumer': 'escalation',
      });
      expect(letters[0].value).toBe('this is not an event');
      expect(ids).toHaveLength(2);
      await p.stop();
      await producer.disconnect();
      await admin.disconnect();
    });

    it('order facts on orders.events.v1: valid ones reach the loyalty view, malformed ones the dead-letter topic with the reason', async () => {
      api = await startApi(await storage(), { kafka: { brokers: brokers!, topics, groupPrefix: prefix } });
      const { kafka, admin, producer } = await manualTransport();
      const fact = ViewScenario.fact;
      await producer.send({
        topic: topics.ordersInbound,
        messages: [
          { key: 'K1', value: JSON.stringify(fact('OrderPlaced', 'K1', 'cust-K', '2026-02-01T10:00:00Z', 70)) },
          { key: 'K1', value: '{ not json' },
          { key: 'K2', value: JSON.stringify({ ...fact('OrderPlaced', 'K2', 'cust-K', '2026-02-02T10:00:00Z'), amount: -5 }) },
          { key: 'K1', value: JSON.stringify(fact('OrderPlaced', 'K1', 'cust-K', '2026-02-01T10:00:00Z', 70)) },
          { key: 'K1', value: JSON.stringify(fact('OrderPaid', 'K1', 'cust-K', '2026-02-01T10:01:00Z')) },
        ],
      });
      const customer = await waitFor(
        'cust-K in the loyalty view',
        async () => (await request(api.http).get('/views/loyalty/customers/cust-K').set(bearer('analyst'))).body,
        (b) => b.points?.orders === 70,
      );
      expect(customer.orders).toMatchObject({ count: 1, spend: { EUR: 70 } });
      const letters = await readDeadLetters(kafka, 2);
      expect(letters.map((l) => l.headers['dlq-error']).sort()).toEqual([
        'amount: amount must not be less than 0 | currency: currency must be a three-letter ISO 4217 code such as EUR',
        'record is not JSON',
      ]);
      for (const letter of letters) {
        expect(letter.headers).toMatchObject({
          'dlq-topic': topics.ordersInbound,
          'dlq-offset': expect.stringMatching(/^\d+$/),
          'dlq-partition': expect.stringMatching(/^\d$/),
        });
      }
      expect(letters.map((l) => l.value).sort()[0]).toBe('{ not json');
      await producer.disconnect();
      await admin.disconnect();
    });

    it("reports each consumer group's lag per partition: it grows while a projector is stopped and drains when it is back", async () => {
      api = await startApi(await storage(), { kafka: { brokers: brokers!, topics, groupPrefix: prefix } });
      const background = api.background as KafkaBackground;
      const lagOf = async (group: string) => {
        const text = (await request(api.http).get('/metrics').set(bearer('admin')).expect(200)).text;
        const series = [...text.matchAll(/^aftersales_kafka_consumer_lag\{group="([^"]+)",topic="([^"]+)",partition="\d+"\} (\d+)$/gm)];
        const mine = series.filter((m) => m[1] === group && m[2] === topics.caseEvents);
        return mine.length === 0 ? undefined : mine.reduce((n, m) => n + Number(m[3]), 0);
      };
      const escalation = `${prefix}-projector-escalation`;
      const first = await openBusyCases(2);
      await waitFor('views to match the store', () => viewsMatchStore(first), Boolean);
      await waitFor(
        'escalation lag 0',
        () => lagOf(escalation),
        (lag) => lag === 0,
      );
      expect((await request(api.http).get('/metrics').set(bearer('admin')).expect(200)).text).toContain('aftersales_kafka_up 1');

      const stopped = background.projectors.find((p) => p.groupId === escalation)!;
      await stopped.stop();
      const more = await openBusyCases(3); // events the escalation group has not seen
      const unseen = await eventsOf(more);
      await waitFor('the relay to publish them', async () => (await background.relay.checkpoint()) === (await api.store.headPosition()), Boolean);
      await waitFor(
        'escalation lag of every unseen event',
        () => lagOf(escalation),
        (lag) => lag === unseen,
      );
      expect(await lagOf(`${prefix}-projector-satisfaction`)).toBe(0);

      await stopped.start();
      await waitFor(
        'escalation lag back to 0',
        () => lagOf(escalation),
        (lag) => lag === 0,
      );
      await waitFor('views to match the store', () => viewsMatchStore([...first, ...more]), Boolean);
    });

    const brokerDir = ownKafkaDir();
    (brokerDir ? it : it.skip)('the broker stopped (kill -9) and restarted: appends go on, the views catch up with nothing lost or doubled', async () => {
      api = await startApi(await storage(), { kafka: { brokers: brokers!, topics, groupPrefix: prefix } });
      const before = await openBusyCases(3);
      await waitFor('views before the outage', () => viewsMatchStore(before), Boolean);
      expect((await request(api.http).get('/health').expect(200)).body).toMatchObject({ status: 'ok', kafka: { status: 'up', brokers: 1 } });
      killKafka(brokerDir!);
      const during = await openBusyCases(3); // the store takes commands while Kafka is down
      const down = await request(api.http).get('/health').expect(503); // not ready: the views would go stale
      expect(down.body).toMatchObject({ status: 'unavailable', eventStore: { status: 'up' }, kafka: { status: 'down' } });
      await request(api.http).get('/health/live').expect(200); // but alive: no restart wanted
      expect((await request(api.http).get('/metrics').set(bearer('admin')).expect(200)).text).toContain('aftersales_kafka_up 0');
      restartKafka(brokerDir!);
      const after = await openBusyCases(2);
      await waitFor('views after the restart', () => viewsMatchStore([...before, ...during, ...after]), Boolean, 90_000);
      await waitFor(
        'readiness after the restart',
        async () => (await request(api.http).get('/health')).status,
        (status) => status === 200,
      );
    });
  },
);
