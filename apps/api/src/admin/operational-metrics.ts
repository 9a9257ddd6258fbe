/**
 * Prometheus gauges read at scrape time from the stores: each view's lag behind the store and checkpoint age,
 * dead letters, the relay's lag, and SLA clocks overdue on open cases.
 */
import { Gauge } from 'prom-client';
import type { Clock } from '@aftersales/case-domain';
import type { Metrics } from '@aftersales/observability';
import type { SqlClient } from '@aftersales/sql-client';
import type { EventStore } from '@aftersales/event-store';
import type { ProjectionAdmin } from './projection-admin';

export function registerOperationalMetrics(metrics: Metrics, admin: ProjectionAdmin, sql: SqlClient, store: EventStore, clock: Clock): void {
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
      for (const p of await admin.status()) for (const c of p.checkpoints) this.set({ projection: p.name, source: c.source }, Math.max(0, (now - Date.parse(c.updatedAt)) / 1000));
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
  new Gauge({
    name: 'aftersales_relay_lag_events',
    help: 'Events in the store not yet published to Kafka by the relay',
    labelNames: ['relay'] as const,
    registers,
    async collect() {
      this.reset();
      const head = await store.headPosition();
      const rows = await sql.query<{ relay: string; position: string }>('SELECT relay, position FROM relay_checkpoints').catch(() => ({ rows: [] }));
      for (const r of rows.rows) if (head && /^\d+$/.test(head) && /^\d+$/.test(r.position)) this.set({ relay: r.relay }, Number(BigInt(head) - BigInt(r.position)));
    },
  });
  new Gauge({
    name: 'aftersales_sla_overdue_clocks',
    help: 'Open cases with a first-response or resolution clock past due (escalation view)',
    labelNames: ['clock'] as const,
    registers,
    async collect() {
      this.reset();
      const now = clock.now().toISOString();
      const rows = await sql
        .query<{ first: string | number; resolution: string | number }>(
          `SELECT count(*) FILTER (WHERE first_response_due_at < $1::timestamptz) AS first,
                  count(*) FILTER (WHERE resolution_due_at < $1::timestamptz AND (state->'sla'->>'pausedSince') IS NULL) AS resolution
           FROM rm_escalation_cases WHERE open`,
          [now],
        )
        .catch(() => ({ rows: [] as Array<{ first: number; resolution: number }> }));
      if (rows.rows[0]) {
        this.set({ clock: 'FIRST_RESPONSE' }, Number(rows.rows[0].first));
        this.set({ clock: 'RESOLUTION' }, Number(rows.rows[0].resolution));
      }
    },
  });
}
