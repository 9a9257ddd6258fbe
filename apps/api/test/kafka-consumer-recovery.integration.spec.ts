/**
 * Consumers that crash come back, and readiness says so meanwhile, through a real Kafka broker: a stopped
 * projector makes /health/ready answer 503 naming it (and /health with it) while /health/live stays 200; a
 * projector whose view cannot be written crashes, is restarted with backoff until the view is writable again, and
 * readiness is 200 once it caught up; a crash kafkajs would not restart (a non-retriable error, `restart: false`)
 * is restarted too. A replication factor above the broker count stops the start-up with a clear message (exit
 * code 78 from the built process: run `npm run build` first, as `npm test` does); existing topics with fewer
 * partitions than configured are reported, not changed.
 */
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Kafka, Producer } from 'kafkajs';
import request from 'supertest';
import type { KafkaTopics } from '@aftersales/kafka-transport';
import { EventRelay, KafkaDeadLetters, KafkaProjector, KafkaTopologyError, ensureTopics, topicsWithSuffix } from '@aftersales/kafka-transport';
import { kafkaBrokers } from '@aftersales/local-servers';
import { JsonLogger, Metrics } from '@aftersales/observability';
import { EscalationProjection, ProjectionRunner } from '@aftersales/read-models';
import { ConfigError } from '@aftersales/runtime-config';
import { DEFAULT_SLA_POLICY } from '@aftersales/case-domain';
import { kafkaBackground, kafkaClient } from '../../../apps/api/src/composition/kafka-background';
import type { KafkaBackground } from '../../../apps/api/src/composition/kafka-background';
import type { ApiUnderTest } from '../../../test/harness/api-under-test';
import { bearer, openCaseBody, startApi } from '../../../test/harness/api-under-test';
import { MAIN } from '../../../test/harness/api-process';
import { describeWithServer } from '../../../test/harness/servers';
import { pgliteStorage } from '../../../test/harness/store-matrix';
import { viewsMatchStore, waitFor } from '../../../test/harness/views-match-store';

jest.setTimeout(180_000);

const brokers = kafkaBrokers();

describeWithServer(
  'a Kafka broker',
  brokers !== undefined,
  'Install Java 17+ and Maven (the test run then starts Apache Kafka from Maven Central jars) or set KAFKA_BROKERS.',
  'Kafka consumers restart with backoff and show in readiness',
  () => {
    let api: ApiUnderTest | undefined;
    let topics: KafkaTopics;
    let prefix: string;

    beforeEach(() => {
      const suffix = `.r${randomUUID().slice(0, 8)}`;
      topics = topicsWithSuffix(suffix);
      prefix = `test${suffix}`;
    });
    afterEach(async () => {
      await api?.close();
      api = undefined;
    });

    async function openCases(target: ApiUnderTest, n: number): Promise<string[]> {
      const ids: string[] = [];
      for (let i = 0; i < n; i++) {
        const id = (await request(target.http).post('/cases').set(bearer('service')).send(openCaseBody()).expect(201)).body.caseId;
        await request(target.http).post(`/cases/${id}/acknowledge`).set(bearer('agent')).send({}).expect(200);
        ids.push(id);
      }
      return ids;
    }

    const ready = async (target: ApiUnderTest) => {
      const answer = await request(target.http).get('/health/ready');
      return {
        status: answer.status,
        body: answer.body as { notReady?: string[]; consumers?: { consumers: Record<string, { state: string; restarts: number; lastError?: string }> } },
      };
    };

    it('a stopped projector: /health/ready and /health answer 503 naming it, /health/live 200; started again, 200', async () => {
      api = await startApi(await pgliteStorage(), {
        kafka: { brokers: brokers!, topics, groupPrefix: prefix, supervision: { initialDelayMs: 200, maxDelayMs: 1_000 } },
      });
      const target = api;
      const ids = await openCases(target, 2);
      await waitFor('views to match the store', () => viewsMatchStore(target, ids), Boolean, 60_000);
      await waitFor(
        'ready',
        () => ready(target),
        (r) => r.status === 200,
        60_000,
      );

      const escalation = (target.background as KafkaBackground).projectors.find((p) => p.groupId === `${prefix}-projector-escalation`)!;
      await escalation.stop();
      const stopped = await ready(target);
      expect(stopped.status).toBe(503);
      expect(stopped.body.notReady).toEqual([expect.stringContaining(`${prefix}-projector-escalation is stopped`)]);
      expect(stopped.body.consumers?.consumers[`${prefix}-projector-escalation`]).toMatchObject({ state: 'stopped' });
      expect((await request(target.http).get('/health')).status).toBe(503);
      await request(target.http).get('/health/live').expect(200);

      await escalation.start();
      await waitFor(
        'ready again',
        () => ready(target),
        (r) => r.status === 200,
        60_000,
      );
    });

    it('a projector whose view cannot be written crashes, restarts with backoff, and is ready again once it caught up', async () => {
      api = await startApi(await pgliteStorage(), {
        kafka: { brokers: brokers!, topics, groupPrefix: prefix, readyMaxLag: 1, consumerRetries: 0, supervision: { initialDelayMs: 200, maxDelayMs: 1_000 } },
      });
      const target = api;
      const group = `${prefix}-projector-escalation`;
      const before = await openCases(target, 2);
      await waitFor('views to match the store', () => viewsMatchStore(target, before), Boolean, 60_000);
      await waitFor(
        'ready',
        () => ready(target),
        (r) => r.status === 200,
        60_000,
      );

      // The view's table goes away: every write of the escalation projector fails (not the records' fault).
      await target.storage.readModels.query('ALTER TABLE rm_escalation_cases RENAME TO rm_escalation_cases_away');
      const during = await openCases(target, 2);
      const failing = await waitFor(
        'the escalation projector to crash',
        () => ready(target),
        (r) => r.status === 503 && !!r.body.consumers?.consumers[group]?.lastError,
        60_000,
      );
      expect(failing.body.notReady?.join(' ')).toContain(group);
      expect(failing.body.consumers?.consumers[group].lastError).toMatch(/rm_escalation_cases/);
      await request(target.http).get('/health/live').expect(200);

      await target.storage.readModels.query('ALTER TABLE rm_escalation_cases_away RENAME TO rm_escalation_cases');
      await waitFor('views to match the store after the restart', () => viewsMatchStore(target, [...before, ...during]), Boolean, 90_000);
      const recovered = await waitFor(
        'ready again',
        () => ready(target),
        (r) => r.status === 200,
        60_000,
      );
      expect(recovered.body.consumers?.consumers[group]).toMatchObject({ state: 'running', restarts: expect.any(Number) });
      expect(recovered.body.consumers!.consumers[group].restarts).toBeGreaterThanOrEqual(1);
      const restarts = (await target.app.get(Metrics).consumerRestarts.get()).values.find((v) => v.labels.consumer === group);
      expect(restarts?.value).toBeGreaterThanOrEqual(1);
    });

    it('a crash kafkajs would not restart (a non-retriable error from eachBatch) is followed by a restart; nothing is lost', async () => {
      api = await startApi(await pgliteStorage());
      const target = api;
      const kafka: Kafka = kafkaClient(brokers!, `${prefix}-manual`);
      const admin = kafka.admin();
      await admin.connect();
      await ensureTopics(admin, topics);
      const producer: Producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
      await producer.connect();
      const relay = new EventRelay(target.store, producer, target.storage.readModels, topics, { name: `${prefix}-relay` });
      await relay.init();
      const ids = await openCases(target, 3);
      await relay.pump();

      let failures = 0;
      const crashes: string[] = [];
      const projector = new KafkaProjector(
        kafka,
        new ProjectionRunner(target.storage.readModels, new EscalationProjection(), new KafkaDeadLetters(producer, topics.deadLetter)),
        {
          groupId: `${prefix}-projector-escalation`,
          topics: [topics.caseEvents],
          chunkSize: 2,
          supervision: { initialDelayMs: 200, maxDelayMs: 1_000, onCrash: (_, error) => crashes.push(error.message) },
          afterWrite: async () => {
            if (failures++ > 0) return;
            throw Object.assign(new Error('forced crash: not retriable'), { retriable: false });
          },
        },
      );
      try {
        await projector.start();
        const acknowledged = async () =>
          Number(
            (
              await target.storage.readModels.query<{ n: string | number }>(
                "SELECT count(*) AS n FROM rm_escalation_cases WHERE case_id = ANY($1::text[]) AND state->>'status' = 'ACKNOWLEDGED'",
                [ids],
              )
            ).rows[0].n,
          );
        await waitFor('every case acknowledged in the escalation view', acknowledged, (n) => n === ids.length, 60_000);
        const published = (await target.store.readAll({ maxCount: 10_000 })).filter((e) => e.streamId.startsWith('case-')).length;
        expect(projector.applied).toBe(published); // each event once: the chunk written before the crash was not applied again
        await waitFor(
          'the restart to be counted',
          async () => projector.status(),
          (s) => s.restarts === 1 && s.state === 'running',
        );
        expect(crashes).toEqual([expect.stringContaining('forced crash: not retriable')]);
        expect(projector.status().lastError).toContain('forced crash');
      } finally {
        await projector.stop();
        await producer.disconnect();
        await admin.disconnect();
      }
    });

    it('asking for 3 replicas on a single broker fails at once with a clear message (a configuration error)', async () => {
      const kafka = kafkaClient(brokers!, `${prefix}-rf`);
      const admin = kafka.admin();
      await admin.connect();
      try {
        const refused = ensureTopics(admin, topics, { partitions: 3, replicationFactor: 3, minInsyncReplicas: 2 });
        await expect(refused).rejects.toBeInstanceOf(KafkaTopologyError);
        await expect(refused).rejects.toThrow('KAFKA_REPLICATION_FACTOR is 3 but the Kafka cluster has 1 broker(s)');
        const existing = new Set(await admin.listTopics());
        expect(Object.values(topics).filter((t) => existing.has(t))).toEqual([]); // nothing was created
      } finally {
        await admin.disconnect();
      }
      // The same through the process's composition: a ConfigError, which main.ts turns into exit code 78.
      api = await startApi(await pgliteStorage());
      const attempt = kafkaBackground(api.app, api.storage, api.clock, DEFAULT_SLA_POLICY, new JsonLogger('error', () => undefined), {
        brokers: brokers!,
        topics,
        groupPrefix: prefix,
        slaWatchIntervalMs: 3_600_000,
        topicLayout: { partitions: 3, replicationFactor: 3, minInsyncReplicas: 2 },
      });
      await expect(attempt).rejects.toBeInstanceOf(ConfigError);
      await expect(attempt).rejects.toThrow(/KAFKA_REPLICATION_FACTOR is 3 but the Kafka cluster has 1 broker/);
    });

    it('the built process asked for 3 replicas on a single broker exits with the configuration error code 78 and says why', () => {
      const dataDir = mkdtempSync(join(tmpdir(), 'aftersales-rf-'));
      try {
        const run = spawnSync(process.execPath, ['-r', join(__dirname, '..', '..', '..', 'deploy', 'runtime', 'register-paths.js'), MAIN], {
          env: {
            ...process.env,
            NODE_OPTIONS: '',
            DATABASE_URL: '',
            PORT: '0',
            DATA_DIR: dataDir,
            AUTH_TOKENS: 'admin=admin-token-for-rf-test-0001',
            KAFKA_BROKERS: brokers!.join(','),
            KAFKA_TOPIC_SUFFIX: topics.caseEvents.slice(topics.caseEvents.lastIndexOf('.')),
            KAFKA_REPLICATION_FACTOR: '3',
          },
          encoding: 'utf8',
          timeout: 90_000,
        });
        expect({ status: run.status, stderr: run.stderr }).toEqual({
          status: 78,
          stderr: expect.stringContaining('KAFKA_REPLICATION_FACTOR is 3 but the Kafka cluster has 1 broker(s)'),
        });
      } finally {
        rmSync(dataDir, { recursive: true, force: true });
      }
    });

    it('existing topics with fewer partitions than configured are reported as warnings and left as they are', async () => {
      const kafka = kafkaClient(brokers!, `${prefix}-partitions`);
      const admin = kafka.admin();
      await admin.connect();
      try {
        expect((await ensureTopics(admin, topics)).created.sort()).toEqual(Object.values(topics).sort());
        const again = await ensureTopics(admin, topics, { partitions: 6, replicationFactor: 1, minInsyncReplicas: 1 });
        expect(again.created).toEqual([]);
        expect(again.warnings).toEqual(expect.arrayContaining([`topic ${topics.caseEvents} has 3 partitions, fewer than KAFKA_PARTITIONS=6; left as it is`]));
        expect(again.warnings).toHaveLength(Object.values(topics).length); // one per topic
        const [caseEvents] = (await admin.fetchTopicMetadata({ topics: [topics.caseEvents] })).topics;
        expect(caseEvents.partitions).toHaveLength(3);
      } finally {
        await admin.disconnect();
      }
    });
  },
);
