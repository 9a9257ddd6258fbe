/**
 * Prometheus gauges of Kafka read at scrape time: whether a broker answers, each consumer group's lag per
 * partition, and whether each consumer of this process is running (0 while starting, restarting or stopped).
 * A scrape while the broker is down reports `aftersales_kafka_up 0` and no lag series (the failed lag read is
 * counted in `aftersales_metric_read_failures_total` and logged). Dead letters and consumer restarts are counters
 * kept in Metrics.
 */
import { Gauge } from 'prom-client';
import type { KafkaHealth, WatchedConsumer } from '@aftersales/kafka-transport';
import type { Metrics } from '@aftersales/observability';
import { gaugeRead } from './gauge-reads';

const UP = 'aftersales_kafka_up';
const LAG = 'aftersales_kafka_consumer_lag';
const RUNNING = 'aftersales_kafka_consumer_running';

export function registerKafkaMetrics(metrics: Metrics, health: KafkaHealth, consumers: WatchedConsumer[] = []): void {
  const registers = [metrics.registry];
  const readLag = gaugeRead(metrics, LAG);
  for (const name of [UP, LAG, RUNNING]) metrics.registry.removeSingleMetric(name); // a restarted background registers anew
  new Gauge({
    name: RUNNING,
    help: '1 while a Kafka consumer of this process is running, 0 while it is starting, restarting after a crash, or stopped',
    labelNames: ['group'] as const,
    registers,
    collect() {
      this.reset();
      for (const c of consumers) this.set({ group: c.groupId }, c.status().state === 'running' ? 1 : 0);
    },
  });
  new Gauge({
    name: UP,
    help: '1 when a Kafka broker answered the last scrape, 0 otherwise',
    registers,
    async collect() {
      this.set(
        await health.cluster().then(
          () => 1,
          () => 0,
        ),
      );
    },
  });
  new Gauge({
    name: LAG,
    help: 'Records on each partition a consumer group has not committed past (high watermark minus committed offset)',
    labelNames: ['group', 'topic', 'partition'] as const,
    registers,
    async collect() {
      this.reset();
      const lags = await readLag(() => health.consumerLag());
      for (const l of lags ?? []) this.set({ group: l.groupId, topic: l.topic, partition: String(l.partition) }, l.lag);
    },
  });
}
