/**
 * Early warnings through a real Kafka broker: the early-warning projector's consumer group reads the case events,
 * the watch raises a complaint spike, and the relay publishes `EarlyWarningRaised` to the early-warnings topic as
 * a CloudEvent keyed by the signal key; the projector reads it back from that topic into the view.
 */
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import type { KafkaTopics } from '@aftersales/kafka-transport';
import { topicsWithSuffix } from '@aftersales/kafka-transport';
import { kafkaBrokers } from '@aftersales/local-servers';
import { kafkaClient } from '../../../apps/api/src/composition/kafka-background';
import type { ApiUnderTest } from '../../../test/harness/api-under-test';
import { bearer, openCaseBody, startApi } from '../../../test/harness/api-under-test';
import { describeWithServer, postgresUrl } from '../../../test/harness/servers';
import { pgliteStorage, postgresStorage } from '../../../test/harness/store-matrix';
import { waitFor } from '../../../test/harness/views-match-store';

jest.setTimeout(120_000);

const brokers = kafkaBrokers();
const T = '2026-03-10T09:00:00.000Z';

describeWithServer(
  'a Kafka broker',
  brokers !== undefined,
  'Install Java 17+ and Maven (the test run then starts Apache Kafka from Maven Central jars) or set KAFKA_BROKERS.',
  'Early warnings on Kafka',
  () => {
    let api: ApiUnderTest;
    let topics: KafkaTopics;
    let prefix: string;

    beforeEach(() => {
      const suffix = `.ew${randomUUID().slice(0, 8)}`;
      topics = topicsWithSuffix(suffix);
      prefix = `test${suffix}`;
    });
    afterEach(async () => api?.close());

    it('a complaint spike is raised and EarlyWarningRaised reaches aftersales.early-warnings.v1 as a CloudEvent keyed by the signal key', async () => {
      expect(topics.earlyWarnings).toBe(`aftersales.early-warnings.v1${topics.caseEvents.slice('aftersales.case-events.v1'.length)}`);
      api = await startApi(await (postgresUrl() ? postgresStorage() : pgliteStorage()), { kafka: { brokers: brokers!, topics, groupPrefix: prefix } });
      api.clock.set(T);
      for (let i = 0; i < 5; i++) {
        await request(api.http)
          .post('/cases')
          .set(bearer('service'))
          .send(openCaseBody({ merchantId: 'm-kafka', orderId: `ord-k-${i}`, customerId: `cust-k-${i}` }))
          .expect(201);
      }
      const cases = () =>
        api.storage.readModels
          .query<{ n: string }>(`SELECT count(*) AS n FROM rm_early_warning_cases WHERE merchant_id = 'm-kafka'`)
          .then((r) => Number(r.rows[0].n));
      await waitFor('the early-warning projector to read the five cases from Kafka', cases, (n) => n === 5);

      const report = await api.background.earlyWarning.tick();
      expect(report.raised).toContain('COMPLAINT_SPIKE:m=m-kafka');

      const kafka = kafkaClient(brokers!, `${prefix}-reader`);
      const consumer = kafka.consumer({ groupId: `${prefix}-reader-${randomUUID()}` });
      await consumer.connect();
      await consumer.subscribe({ topic: topics.earlyWarnings, fromBeginning: true });
      const records: Array<{ key: string; headers: Record<string, string>; value: Record<string, unknown> }> = [];
      await consumer.run({
        eachMessage: async ({ message }) => {
          records.push({
            key: message.key?.toString('utf8') ?? '',
            headers: Object.fromEntries(Object.entries(message.headers ?? {}).map(([k, v]) => [k, String(v)])),
            value: JSON.parse(message.value?.toString('utf8') ?? 'null'),
          });
        },
      });
      const spike = (r: typeof records) => r.find((x) => x.key === 'COMPLAINT_SPIKE:m=m-kafka');
      try {
        await waitFor(
          `EarlyWarningRaised on ${topics.earlyWarnings}`,
          async () => records,
          (r) => spike(r) !== undefined,
        );
      } finally {
        await consumer.disconnect();
      }
      // A structured CloudEvent: the attributes and the data in the value.
      expect(spike(records)).toEqual({
        key: 'COMPLAINT_SPIKE:m=m-kafka',
        headers: expect.objectContaining({ 'content-type': 'application/cloudevents+json' }),
        value: expect.objectContaining({
          specversion: '1.0',
          type: 'aftersales.EarlyWarningRaised.v1',
          source: '/aftersales/early-warnings',
          eventtype: 'EarlyWarningRaised',
          streamid: 'early-warning-COMPLAINT_SPIKE:m=m-kafka',
          revision: '0',
          actortype: 'system',
          actorid: 'early-warning',
          time: T,
          data: {
            signalKey: 'COMPLAINT_SPIKE:m=m-kafka',
            kind: 'COMPLAINT_SPIKE',
            scope: { merchantId: 'm-kafka' },
            window: 'PT24H',
            observed: 5,
            baseline: 0,
            score: 140,
            since: T,
          },
        }),
      });
      expect(records.filter((r) => r.key === 'COMPLAINT_SPIKE:m=m-kafka')).toHaveLength(1);

      // The projector reads them back from the topic: the view lists the merchant's spike and its SKU's.
      const view = () =>
        request(api.http)
          .get('/views/early-warning?kind=COMPLAINT_SPIKE&merchantId=m-kafka')
          .set(bearer('analyst'))
          .then((r) => r.body);
      const shown = await waitFor('the signals in the view', view, (body) => body.signals?.length === 2);
      expect(shown.signals.map((s: { scope: object; observed: number; since: string }) => [s.scope, s.observed, s.since])).toEqual([
        [{ merchantId: 'm-kafka' }, 5, T],
        [{ merchantId: 'm-kafka', sku: 'SHOE-42' }, 5, T],
      ]);
    });
  },
);
