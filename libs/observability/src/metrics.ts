/**
 * Prometheus metrics of the process: HTTP traffic, command outcomes and latency, event appends, SLA breaches,
 * dead letters by topic and reason, consumer restarts.
 */
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export class Metrics {
  readonly registry = new Registry();

  readonly httpRequests = this.counter('http_requests_total', 'HTTP requests by method, route and status code', ['method', 'route', 'status']);

  readonly httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request latency by method and route',
    labelNames: ['method', 'route'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });

  readonly commands = this.counter('case_commands_total', 'Case commands by action and outcome (ok, replayed, or the error code)', ['action', 'outcome']);

  readonly commandDuration = new Histogram({
    name: 'case_command_duration_seconds',
    help: 'Case command latency by action, from request to answer',
    labelNames: ['action'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
    registers: [this.registry],
  });

  readonly appendedEvents = this.counter(
    'aftersales_events_appended_total',
    'Events appended to the store by this process, by stream category (case, order) and event type',
    ['category', 'type'],
  );

  readonly slaBreaches = this.counter(
    'aftersales_sla_breaches_total',
    'SLA breaches recorded on cases by this process, by clock (FIRST_RESPONSE, RESOLUTION)',
    ['clock'],
  );

  readonly deadLetters = this.counter(
    'aftersales_dead_lettered_records_total',
    'Records dead-lettered by the consumers of this process, by source topic (store-feed for the embedded transport) and reason code',
    ['topic', 'reason'],
  );

  readonly consumerRestarts = this.counter('aftersales_consumer_restarts_total', 'Kafka consumers of this process restarted after a crash, by consumer group', [
    'consumer',
  ]);

  readonly metricReadFailures = this.counter(
    'aftersales_metric_read_failures_total',
    'Scrape-time reads of a gauge that failed (the gauge then has no series for that scrape), by gauge',
    ['gauge'],
  );

  private counter<L extends string>(name: string, help: string, labelNames: readonly L[]): Counter<L> {
    return new Counter({ name, help, labelNames, registers: [this.registry] });
  }

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }
}
