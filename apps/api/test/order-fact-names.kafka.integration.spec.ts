/**
 * Order facts with the spec's type names (section 7) through the real Kafka intake on `orders.events.v1`: given
 * records named PLACED, PAID and REFUNDED (and one with a deprecated name), when the intake consumes them, then
 * they are stored under the event types streams hold and the loyalty view shows the order net of its refund.
 */
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { ensureTopics, topicsWithSuffix } from '@aftersales/kafka-transport';
import { kafkaBrokers } from '@aftersales/local-servers';
import { orderFactStreamId } from '@aftersales/order-facts';
import { kafkaClient } from '../../../apps/api/src/composition/kafka-background';
import type { ApiUnderTest } from '../../../test/harness/api-under-test';
import { bearer, startApi } from '../../../test/harness/api-under-test';
import { describeWithServer } from '../../../test/harness/servers';
import { waitFor } from '../../../test/harness/views-match-store';

jest.setTimeout(120_000);

const brokers = kafkaBrokers();

describeWithServer(
  'a Kafka broker',
  brokers !== undefined,
  'Install Java 17+ and Maven (the test run then starts Apache Kafka from Maven Central jars) or set KAFKA_BROKERS.',
  "Order facts with the spec's type names on orders.events.v1",
  () => {
    let api: ApiUnderTest | undefined;
    afterEach(async () => api?.close());

    it('takes PLACED, PAID and REFUNDED records (and the deprecated OrderShipped) into the loyalty view', async () => {
      const suffix = `.names${randomUUID().slice(0, 8)}`;
      const topics = topicsWithSuffix(suffix);
      api = await startApi(undefined, { kafka: { brokers: brokers!, topics, groupPrefix: `test${suffix}` } });
      const kafka = kafkaClient(brokers!, `test${suffix}-producer`);
      const admin = kafka.admin();
      await admin.connect();
      await ensureTopics(admin, topics);
      const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
      await producer.connect();
      const fact = (eventId: string, type: string, occurredAt: string, amount?: number) => ({
        key: 'ord-k-1',
        value: JSON.stringify({
          eventId,
          type,
          orderId: 'ord-k-1',
          customerId: 'cust-kafka-names',
          merchantId: 'merch-1',
          occurredAt,
          ...(amount !== undefined ? { amount, currency: 'EUR' } : {}),
        }),
      });
      await producer.send({
        topic: topics.ordersInbound,
        messages: [
          fact('k-placed', 'PLACED', '2026-02-01T10:00:00Z', 70),
          fact('k-paid', 'PAID', '2026-02-01T10:01:00Z'),
          fact('k-shipped', 'OrderShipped', '2026-02-02T10:00:00Z'),
          fact('k-refunded', 'REFUNDED', '2026-02-05T10:00:00Z', 20),
        ],
      });
      const customer = await waitFor(
        'cust-kafka-names refunded in the loyalty view',
        async () => (await request(api!.http).get('/views/loyalty/customers/cust-kafka-names').set(bearer('analyst'))).body,
        (b) => b.orders?.refunded === 1,
      );
      expect(customer.orders).toMatchObject({ count: 1, refunded: 1, spend: { EUR: 50 } });
      expect(customer.points.orders).toBe(50);
      const typeOf = async (eventId: string) => (await api!.store.readStream(orderFactStreamId(eventId)))[0]?.type;
      expect([await typeOf('k-placed'), await typeOf('k-paid'), await typeOf('k-shipped'), await typeOf('k-refunded')]).toEqual([
        'OrderPlaced',
        'OrderPaid',
        'OrderShipped',
        'OrderRefunded',
      ]);
      await producer.disconnect();
      await admin.disconnect();
    });
  },
);
