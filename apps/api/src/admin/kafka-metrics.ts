/**
 * Prometheus gauges of Kafka read at scrape time: whether a broker answers, and each consumer group's lag per
 * partition. A scrape while the broker is down reports `aftersales_kafka_up 0` and no lag series.
 */
import { Gauge } from 'prom-client';
import type { KafkaHealth } from '@aftersales/kafka-transport';
import type { Metrics } from '@aftersales/observability';

const UP = 'aftersales_kafka_up';
const LAG = 'aftersales_kafka_consumer_lag';

export function registerKafkaMetrics(metrics: Metrics, health: KafkaHealth): void {
  const registers = [metrics.registry];
  for (const name of [UP, LAG]) metrics.registry.removeSingleMetric(name); // a restarted background registers anew
  new Gauge({
    name: UP,
    help: '1 when a Kafka broker answered the last scrape, 0 otherwise',
    registers,
    async collect() {
      this.set(await health.cluster().then(() => 1, () => 0));
    },
  });
  new Gauge({
    name: LAG,
    help: 'Records on each partition a consumer group has not committed past (high watermark minus committed offset)',
    labelNames: ['group', 'topic', 'partition'] as const,
    registers,
    async collect() {
      this.reset();
      const lags = await health.consumerLag().catch(() => []);
      for (const l of lags) this.set({ group: l.groupId, topic: l.topic, partition: String(l.partition) }, l.lag);
    },
  });
}
