/** Prometheus metrics of the process: HTTP traffic, command outcomes and latency, event appends, SLA breaches. */
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export class Metrics {
  readonly registry = new Registry();

  readonly httpRequests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests by method, route and status code',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [this.registry],
  });

  readonly httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request latency by method and route',
    labelNames: ['method', 'route'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });

  readonly commands = new Counter({
    name: 'case_commands_total',
    help: 'Case commands by action and outcome (ok, replayed, or the error code)',
    labelNames: ['action', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly commandDuration = new Histogram({
    name: 'case_command_duration_seconds',
    help: 'Case command latency by action, from request to answer',
    labelNames: ['action'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
    registers: [this.registry],
  });

  readonly appendedEvents = new Counter({
    name: 'aftersales_events_appended_total',
    help: 'Events appended to the store by this process, by stream category (case, order) and event type',
    labelNames: ['category', 'type'] as const,
    registers: [this.registry],
  });

  readonly slaBreaches = new Counter({
    name: 'aftersales_sla_breaches_total',
    help: 'SLA breaches recorded on cases by this process, by clock (FIRST_RESPONSE, RESOLUTION)',
    labelNames: ['clock'] as const,
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }
}
