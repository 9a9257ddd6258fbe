/**
 * The gauges read at scrape time: the relay lag and the overdue SLA clocks come from the queries of the
 * libraries that own their tables, and a read that fails is counted and logged, never swallowed.
 */
import type { Producer } from 'kafkajs';
import { ManualClock } from '@aftersales/case-domain';
import type { EventStore } from '@aftersales/event-store';
import { DEFAULT_TOPICS, EventRelay, relayLags } from '@aftersales/kafka-transport';
import { Metrics } from '@aftersales/observability';
import { PgliteSqlClient } from '@aftersales/sql-client';
import { gaugeRead } from '../src/admin/gauge-reads';
import { registerOperationalMetrics } from '../src/admin/operational-metrics';
import type { ProjectionAdmin } from '../src/admin/projection-admin';

const noViews = { status: () => Promise.resolve([]) } as unknown as ProjectionAdmin;
const storeAt = (head: string) => ({ headPosition: () => Promise.resolve(head) }) as unknown as EventStore;
const clock = new ManualClock('2026-03-02T09:00:00.000Z');

describe('relay lag, read where the relay keeps its checkpoints', () => {
  let sql: PgliteSqlClient;
  beforeAll(async () => {
    sql = await PgliteSqlClient.open();
  }, 60_000);
  afterAll(() => sql.close());
  afterEach(() => sql.query('DROP TABLE IF EXISTS relay_checkpoints'));

  it('given a database no relay ran on, then there are no relays (not a failure)', async () => {
    expect(await relayLags(sql, '42')).toEqual([]);
  });

  it('given a relay checkpoint, then its lag is the events after it', async () => {
    await new EventRelay(storeAt('42'), {} as Producer, sql, DEFAULT_TOPICS).init();
    await sql.query(`INSERT INTO relay_checkpoints (relay, position) VALUES ('kafka', '30')`);
    expect(await relayLags(sql, '42')).toEqual([{ relay: 'kafka', lag: 12 }]);
    expect(await relayLags(sql, '3:3')).toEqual([{ relay: 'kafka', lag: undefined }]);

    const metrics = new Metrics();
    registerOperationalMetrics(metrics, noViews, sql, storeAt('42'), clock);
    const text = await metrics.registry.metrics();
    expect(text).toContain('aftersales_relay_lag_events{relay="kafka"} 12');
  });

  it('when the escalation view cannot be read, then the overdue clocks gauge has no series and the failure is counted', async () => {
    const metrics = new Metrics();
    registerOperationalMetrics(metrics, noViews, sql, storeAt('42'), clock); // no rm_escalation_cases table here
    const first = await metrics.registry.metrics();
    expect(first).not.toMatch(/^aftersales_sla_overdue_clocks\{/m);
    // A scrape reads the counter while the gauges collect, so it shows the failures up to the scrape before.
    const second = await metrics.registry.metrics();
    expect(second).not.toMatch(/^aftersales_sla_overdue_clocks\{/m);
    expect(second).toContain('aftersales_metric_read_failures_total{gauge="aftersales_sla_overdue_clocks"} 1');
    expect(second).not.toContain('aftersales_metric_read_failures_total{gauge="aftersales_relay_lag_events"}');
    await metrics.registry.metrics();
    expect(await metrics.registry.metrics()).toContain('aftersales_metric_read_failures_total{gauge="aftersales_sla_overdue_clocks"} 3');
  });

  it('when the database does not answer, then the relay lag read fails visibly too', async () => {
    const metrics = new Metrics();
    const down = { query: async () => Promise.reject(new Error('connection terminated')) } as unknown as PgliteSqlClient;
    registerOperationalMetrics(metrics, noViews, down, storeAt('42'), clock);
    await metrics.registry.metrics();
    const text = await metrics.registry.metrics();
    expect(text).toContain('aftersales_metric_read_failures_total{gauge="aftersales_relay_lag_events"} 1');
    expect(text).toContain('aftersales_metric_read_failures_total{gauge="aftersales_sla_overdue_clocks"} 1');
    expect(text).not.toMatch(/^aftersales_relay_lag_events\{/m);
  });
});

describe('a gauge read that fails', () => {
  it('logs when reads start failing and when they work again, not at every scrape', async () => {
    const logged: string[] = [];
    const logger = { warn: (m: string) => void logged.push(`warn ${m}`), log: (m: string) => void logged.push(`log ${m}`) };
    const metrics = new Metrics();
    const read = gaugeRead(metrics, 'some_gauge', logger);
    let broken = true;
    const source = () => (broken ? Promise.reject(new Error('connection refused')) : Promise.resolve(7));
    expect(await read(source)).toBeUndefined();
    expect(await read(source)).toBeUndefined();
    broken = false;
    expect(await read(source)).toBe(7);
    expect(await read(source)).toBe(7);
    expect(logged).toEqual([
      'warn some_gauge: could not be read (connection refused); reported without series until it can',
      'log some_gauge: reads work again',
    ]);
    expect(await metrics.registry.metrics()).toContain('aftersales_metric_read_failures_total{gauge="some_gauge"} 2');
  });
});
