/**
 * The Grafana dashboard (deploy/grafana/dashboards) queries only series the application exposes: every metric
 * a panel names must be on GET /metrics of a process running the Kafka background (the one that exposes them all).
 */
import { randomUUID } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { topicsWithSuffix } from '@aftersales/kafka-transport';
import { kafkaBrokers } from '@aftersales/local-servers';
import type { ApiUnderTest } from '../../../test/harness/api-under-test';
import { bearer, startApi } from '../../../test/harness/api-under-test';
import { describeWithServer } from '../../../test/harness/servers';
import { pgliteStorage } from '../../../test/harness/store-matrix';

jest.setTimeout(60_000);

const DASHBOARDS = join(__dirname, '..', '..', '..', 'deploy', 'grafana', 'dashboards');

interface Panel {
  title: string;
  targets?: Array<{ expr: string }>;
}

/** Every metric name a panel's PromQL selects (`name{…}`), histogram series by their histogram's name. */
function queriedMetrics(): Map<string, string[]> {
  const used = new Map<string, string[]>();
  for (const file of readdirSync(DASHBOARDS).filter((f) => f.endsWith('.json'))) {
    const panels = (JSON.parse(readFileSync(join(DASHBOARDS, file), 'utf8')).panels as Panel[]).filter((p) => p.targets?.length);
    expect(panels.length).toBeGreaterThan(0);
    for (const panel of panels) {
      for (const { expr } of panel.targets!) {
        const names = [...expr.matchAll(/([a-zA-Z_:][a-zA-Z0-9_:]*)\{/g)].map((m) => m[1].replace(/_(bucket|sum|count)$/, ''));
        expect(names).not.toEqual([]); // a query that selects no metric would check nothing
        for (const name of names) used.set(name, [...(used.get(name) ?? []), `${file}: ${panel.title}`]);
      }
    }
  }
  return used;
}

const brokers = kafkaBrokers();

describeWithServer(
  'a Kafka broker',
  brokers !== undefined,
  'Install Java 17+ and Maven (the test run then starts Apache Kafka from Maven Central jars) or set KAFKA_BROKERS.',
  'the Grafana dashboard',
  () => {
    let api: ApiUnderTest;
    afterAll(async () => api?.close());

    it('queries only metrics that GET /metrics exposes', async () => {
      const suffix = `.t${randomUUID().slice(0, 8)}`;
      api = await startApi(await pgliteStorage(), { kafka: { brokers: brokers!, topics: topicsWithSuffix(suffix), groupPrefix: `test${suffix}` } });
      await request(api.http).get('/audit/compliance?profile=CN').set(bearer('auditor')).expect(200); // registers the compliance gauge
      const text = (await request(api.http).get('/metrics').set(bearer('admin')).expect(200)).text;
      const exposed = new Set([...text.matchAll(/^# TYPE (\S+) /gm)].map((m) => m[1]));
      const used = queriedMetrics();
      const missing = [...used].filter(([name]) => !exposed.has(name)).map(([name, where]) => `${name} (${where.join('; ')})`);
      expect(missing).toEqual([]);
      expect(used.size).toBeGreaterThanOrEqual(15);
    });
  },
);
