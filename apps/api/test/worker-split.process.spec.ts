/**
 * The deployed shape, for real: the built application started four times on one PostgreSQL database and one
 * Kafka broker, each process running only what its WORKERS names (the API with the SLA watch, the relay, the
 * projectors, the order intake), all started at once as compose or Kubernetes would. Commands through the
 * API reach the views through the others.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { kafkaBrokers } from '@aftersales/local-servers';
import type { ApiProcess } from '../../../test/harness/api-process';
import { killHard, spawnApi } from '../../../test/harness/api-process';
import { openCaseBody } from '../../../test/harness/api-under-test';
import { createTestDatabase, describeWithServer, postgresUrl } from '../../../test/harness/servers';
import { waitFor } from '../../../test/harness/views-match-store';

jest.setTimeout(120_000);

const brokers = kafkaBrokers();
const TOKENS = {
  service: 'split-service-token-000001',
  agent: 'split-agent-token-00000001',
  analyst: 'split-analyst-token-0000001',
  admin: 'split-admin-token-000000001',
};
const auth = (role: keyof typeof TOKENS) => ({ Authorization: `Bearer ${TOKENS[role]}` });

describeWithServer(
  'PostgreSQL and a Kafka broker',
  postgresUrl() !== undefined && brokers !== undefined,
  "Install Debian's postgresql package, Java 17+ and Maven, or set TEST_DATABASE_URL and KAFKA_BROKERS.",
  'Worker split (one process per role)',
  () => {
    const processes: ApiProcess[] = [];
    afterAll(async () => {
      for (const p of processes) await killHard(p).catch(() => undefined);
    });

    it('an API, a relay, a projectors and an intake process together turn commands into views', async () => {
      const run = randomBytes(4).toString('hex');
      const common = {
        DATABASE_URL: await createTestDatabase('split'),
        KAFKA_BROKERS: brokers!.join(','),
        KAFKA_TOPIC_SUFFIX: `.split${run}`,
        KAFKA_GROUP_PREFIX: `split${run}`,
        AUTH_TOKENS: Object.entries(TOKENS)
          .map(([role, token]) => `${role}=${token}`)
          .join(','),
        RATE_LIMIT_PER_SECOND: '0',
        LOG_LEVEL: 'warn',
      };
      const roles = ['sla-watch', 'relay', 'projectors', 'order-intake'];
      const started = await Promise.all(
        roles.map((workers) => spawnApi({ ...common, WORKERS: workers, DATA_DIR: mkdtempSync(join(tmpdir(), `split-${workers}-`)) })),
      );
      processes.push(...started);
      const [api, relay, projectors] = started;

      const ids: string[] = [];
      for (let i = 0; i < 3; i++) {
        const opened = await request(api.url)
          .post('/cases')
          .set(auth('service'))
          .send(openCaseBody({ customerId: 'cust-split', merchantId: 'merch-split' }))
          .expect(201);
        await request(api.url).post(`/cases/${opened.body.caseId}/acknowledge`).set(auth('agent')).send({}).expect(200);
        ids.push(opened.body.caseId);
      }
      await request(api.url).post(`/cases/${ids[0]}/withdraw`).set(auth('service')).send({ reason: 'changed my mind' }).expect(200);
      await request(api.url)
        .post('/order-events')
        .set(auth('service'))
        .send({
          events: [
            {
              eventId: `oms-${run}`,
              type: 'OrderPlaced',
              orderId: `ord-${run}`,
              customerId: 'cust-split',
              merchantId: 'merch-split',
              occurredAt: '2026-03-01T10:00:00Z',
              amount: 80,
              currency: 'EUR',
            },
          ],
        })
        .expect(200);

      const customer = await waitFor(
        'the loyalty view, through relay, Kafka and the projectors process',
        async () => (await request(api.url).get('/views/loyalty/customers/cust-split').set(auth('analyst'))).body,
        (body) => body.cases?.total === 3 && body.orders?.count === 1,
      );
      expect(customer.orders.spend).toEqual({ EUR: 80 });
      // Each view is its own consumer group with its own lag: wait for the escalation view as well.
      const open = ids.slice(1).sort(); // the withdrawn case is no longer open
      await waitFor(
        'the escalation view without the withdrawn case',
        async () => ((await request(api.url).get('/views/escalation').set(auth('agent'))).body.cases ?? []).map((c: { caseId: string }) => c.caseId).sort(),
        (seen: string[]) => JSON.stringify(seen) === JSON.stringify(open),
      );

      // Each process reports the part it runs: the projectors' consumer-group lag, not the relay's.
      const projectorMetrics = (await request(projectors.url).get('/metrics').set(auth('admin')).expect(200)).text;
      expect(projectorMetrics).toMatch(new RegExp(`aftersales_kafka_consumer_lag\\{group="split${run}-projector-escalation"`));
      const relayMetrics = (await request(relay.url).get('/metrics').set(auth('admin')).expect(200)).text;
      expect(relayMetrics).not.toContain('aftersales_kafka_consumer_lag{');
      expect(relayMetrics).toContain('aftersales_kafka_up 1');
      for (const p of started) expect((await request(p.url).get('/health').expect(200)).body).toMatchObject({ status: 'ok', kafka: { status: 'up' } });
      const asyncApi = (await request(api.url).get('/asyncapi.json').expect(200)).body;
      expect(Object.keys(asyncApi.channels)).toContain(`aftersales.case-events.v1.split${run}`);
    });
  },
);
