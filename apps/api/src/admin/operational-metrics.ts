/**
 * Prometheus gauges read at scrape time from the stores: each view's lag behind the store and checkpoint age,
 * dead letters, the relay's lag, and SLA clocks overdue on open cases. The SQL lives with the tables' owners
 * (`relayLags` in kafka-transport, `countOverdueClocks` in read-models); a failed read is counted and logged.
 */
import { Gauge } from 'prom-client';
import type { Clock } from '@aftersales/case-domain';
import type { Metrics } from '@aftersales/observability';
import type { SqlClient } from '@aftersales/sql-client';
import type { EventStore } from '@aftersales/event-store';
import { relayLags } from '@aftersales/kafka-transport';
import { countOverdueClocks } from '@aftersales/read-models';
import type { ProjectionAdmin } from './projection-admin';
import { gaugeRead } from './gauge-reads';

export function registerOperationalMetrics(metrics: Metrics, admin: ProjectionAdmin, sql: SqlClient, store: EventStore, clock: Clock): void {
  registerViewGauges(metrics, admin, clock);
  registerStoreGauges(metrics, sql, store, clock);
}

/** Gauges read from the projections' status: lag, checkpoint age, dead letters. */
function registerViewGauges(metrics: Metrics, admin: ProjectionAdmin, clock: Clock): void {
  const registers = [metrics.registry];
  new Gauge({
    name: 'aftersales_projection_lag_events',
    help: 'Events in the store not yet applied to the view (feed transport)',
    labelNames: ['projection', 'source'] as const,
    registers,
    async collect() {
      this.reset();
      for (const p of await admin.status()) for (const c of p.checkpoints) if (c.lag !== undefined) this.set({ projection: p.name, source: c.source }, c.lag);
    },
  });
  new Gauge({
    name: 'aftersales_projection_checkpoint_age_seconds',
    help: 'Seconds since each view checkpoint last moved',
    labelNames: ['projection', 'source'] as const,
    registers,
    async collect() {
      this.reset();
      const now = clock.now().getTime();
      for (const p of await admin.status())
        for (const c of p.checkpoints) this.set({ projection: p.name, source: c.source }, Math.max(0, (now - Date.parse(c.updatedAt)) / 1000));
    },
  });
  new Gauge({
    name: 'aftersales_dead_letters',
    help: 'Records dead-lettered by each view',
    labelNames: ['projection'] as const,
    registers,
    async collect() {
      this.reset();
      for (const p of await admin.status()) this.set({ projection: p.name }, p.deadLetters);
    },
  });
}

/** Gauges read with SQL from the stores: the relay's lag and the overdue SLA clocks; a failed read is counted and logged. */
function registerStoreGauges(metrics: Metrics, sql: SqlClient, store: EventStore, clock: Clock): void {
  const registers = [metrics.registry];
  const readRelayLags = gaugeRead(metrics, 'aftersales_relay_lag_events');
  const readOverdueClocks = gaugeRead(metrics, 'aftersales_sla_overdue_clocks');
  new Gauge({
    name: 'aftersales_relay_lag_events',
    help: 'Events in the store not yet published to Kafka by the relay',
    labelNames: ['relay'] as const,
    registers,
    async collect() {
      this.reset();
      const lags = await readRelayLags(async () => relayLags(sql, await store.headPosition()));
      for (const { relay, lag } of lags ?? []) if (lag !== undefined) this.set({ relay }, lag);
    },
  });
  new Gauge({
    name: 'aftersales_sla_overdue_clocks',
    help: 'Open cases with a first-response or resolution clock past due (escalation view)',
    labelNames: ['clock'] as const,
    registers,
    async collect() {
      this.reset();
      const overdue = await readOverdueClocks(() => countOverdueClocks(sql, clock.now()));
      if (overdue) {
        this.set({ clock: 'FIRST_RESPONSE' }, overdue.firstResponse);
        this.set({ clock: 'RESOLUTION' }, overdue.resolution);
      }
    },
  });
}
