/**
 * Early-warning read model (spec section 4): the counts the detectors need and the signals raised. One row per
 * case (merchant, opening time, SKUs, triage sentiment and repeat complaint, folded with the domain's `evolve`),
 * one row per SLA clock that ended (met or breached), each merchant's first appearance (first case or order fact,
 * the start of its history), and each signal's state, folded from its own `early-warning-<key>` stream. Every
 * row is derived from events, so a rebuild from the store gives the same tables.
 */
import type { CaseState } from '@aftersales/case-domain';
import { initialCaseState } from '@aftersales/case-domain';
import type { EarlyWarningClearedData, EarlyWarningRaisedData } from '@aftersales/early-warning';
import { isEarlyWarningStream, signalKeyOf } from '@aftersales/early-warning';
import { isOrderFactType } from '@aftersales/order-facts';
import type { SqlQueryable } from '@aftersales/sql-client';
import { foldEvent } from '../case-fold-table';
import { PoisonEventError } from '../poison-event';
import type { Projection } from '../projection';
import type { ProjectedEvent } from '../projected-event';
import { caseIdOf, isCaseStream, isOrderStream } from '../projected-event';

export const EARLY_WARNING_TABLES = {
  cases: 'rm_early_warning_cases',
  slaOutcomes: 'rm_early_warning_sla_outcomes',
  merchants: 'rm_early_warning_merchants',
  signals: 'rm_early_warning_signals',
} as const;

function ddl(suffix: string): string {
  const t = (name: string) => `${name}${suffix}`;
  const { cases, slaOutcomes, merchants, signals } = EARLY_WARNING_TABLES;
  return `
CREATE TABLE IF NOT EXISTS ${t(cases)} (
  case_id          TEXT PRIMARY KEY,
  state            JSONB NOT NULL,
  merchant_id      TEXT NOT NULL,
  opened_at        TIMESTAMPTZ NOT NULL,
  skus             TEXT[] NOT NULL,
  sentiment        TEXT,
  repeat_complaint BOOLEAN,
  triaged_at       TIMESTAMPTZ
);
CREATE INDEX IF NOT EXISTS ${t(cases)}_opened ON ${t(cases)} (opened_at, merchant_id);
CREATE INDEX IF NOT EXISTS ${t(cases)}_triaged ON ${t(cases)} (triaged_at, merchant_id);
CREATE TABLE IF NOT EXISTS ${t(slaOutcomes)} (
  case_id     TEXT NOT NULL,
  clock       TEXT NOT NULL,
  ended_at    TIMESTAMPTZ NOT NULL,
  merchant_id TEXT NOT NULL,
  breached    BOOLEAN NOT NULL,
  PRIMARY KEY (case_id, clock, ended_at)
);
CREATE INDEX IF NOT EXISTS ${t(slaOutcomes)}_ended ON ${t(slaOutcomes)} (ended_at, merchant_id);
CREATE TABLE IF NOT EXISTS ${t(merchants)} (
  merchant_id   TEXT PRIMARY KEY,
  first_seen_at TIMESTAMPTZ NOT NULL
);
CREATE TABLE IF NOT EXISTS ${t(signals)} (
  signal_key TEXT PRIMARY KEY,
  kind       TEXT NOT NULL,
  merchant_id TEXT,
  revision   INTEGER NOT NULL,
  active     BOOLEAN NOT NULL,
  data       JSONB NOT NULL,
  since      TIMESTAMPTZ NOT NULL,
  cleared_at TIMESTAMPTZ
);
CREATE INDEX IF NOT EXISTS ${t(signals)}_active ON ${t(signals)} (active, kind);`;
}

interface CaseRow {
  state: CaseState;
  skus: string[];
  sentiment: string | null;
  repeat: boolean | null;
  triagedAt: string | null;
}

interface SlaOutcome {
  caseId: string;
  clock: 'FIRST_RESPONSE' | 'RESOLUTION';
  endedAt: string;
  merchantId: string;
  breached: boolean;
}

const after = (a: string, b: string | undefined) => b !== undefined && Date.parse(a) > Date.parse(b);

/** The SLA clocks that one event ended: a breach recorded, or a clock met (late counts as breached). */
export function slaOutcomesOf(before: CaseState, next: CaseState, event: ProjectedEvent): SlaOutcome[] {
  const base = { caseId: next.caseId, merchantId: next.merchantId };
  if (event.type === 'SlaBreached') {
    const clock = (event.data as { clock: SlaOutcome['clock'] }).clock;
    return before.sla.breaches.includes(clock) ? [] : [{ ...base, clock, endedAt: event.occurredAt, breached: true }];
  }
  const out: SlaOutcome[] = [];
  const responded = next.sla.firstRespondedAt;
  if (!before.sla.firstRespondedAt && responded && !next.sla.breaches.includes('FIRST_RESPONSE')) {
    out.push({ ...base, clock: 'FIRST_RESPONSE', endedAt: responded, breached: after(responded, before.sla.firstResponseDueAt) });
  }
  const stopped = next.sla.stoppedAt;
  if (!before.sla.stoppedAt && stopped && !next.sla.breaches.includes('RESOLUTION')) {
    out.push({ ...base, clock: 'RESOLUTION', endedAt: stopped, breached: after(stopped, before.sla.resolutionDueAt) });
  }
  return out;
}

export class EarlyWarningProjection implements Projection {
  readonly name = 'early-warning' as const;
  readonly tables = Object.values(EARLY_WARNING_TABLES);

  schema(suffix: string): string {
    return ddl(suffix);
  }

  wants(streamId: string): boolean {
    return isCaseStream(streamId) || isOrderStream(streamId) || isEarlyWarningStream(streamId);
  }

  async apply(tx: SqlQueryable, events: ProjectedEvent[], suffix: string): Promise<void> {
    const firstSeen = new Map<string, string>();
    const seen = (merchantId: string, at: string) => {
      const known = firstSeen.get(merchantId);
      if (!known || Date.parse(at) < Date.parse(known)) firstSeen.set(merchantId, at);
    };
    await this.applyCases(
      tx,
      events.filter((e) => isCaseStream(e.streamId)),
      suffix,
      seen,
    );
    for (const fact of events.filter((e) => isOrderStream(e.streamId) && isOrderFactType(e.type))) {
      const merchantId = (fact.data as { merchantId?: unknown }).merchantId;
      if (typeof merchantId === 'string' && merchantId) seen(merchantId, fact.occurredAt);
    }
    if (firstSeen.size) {
      await tx.query(
        `INSERT INTO ${EARLY_WARNING_TABLES.merchants}${suffix} (merchant_id, first_seen_at)
         SELECT * FROM unnest($1::text[], $2::timestamptz[])
         ON CONFLICT (merchant_id) DO UPDATE SET first_seen_at = LEAST(${EARLY_WARNING_TABLES.merchants}${suffix}.first_seen_at, EXCLUDED.first_seen_at)`,
        [[...firstSeen.keys()], [...firstSeen.values()]],
      );
    }
    for (const event of events.filter((e) => isEarlyWarningStream(e.streamId))) await this.applySignal(tx, event, suffix);
  }

  private async applyCases(tx: SqlQueryable, events: ProjectedEvent[], suffix: string, seen: (merchantId: string, at: string) => void): Promise<void> {
    if (events.length === 0) return;
    const table = `${EARLY_WARNING_TABLES.cases}${suffix}`;
    const ids = [...new Set(events.map((e) => caseIdOf(e.streamId)))];
    const rows = await this.loadCaseRows(tx, table, ids);
    const outcomes: SlaOutcome[] = [];
    for (const event of events) {
      const id = caseIdOf(event.streamId);
      const row = rows.get(id) ?? { state: initialCaseState(id), skus: [], sentiment: null, repeat: null, triagedAt: null };
      const next = foldEvent(row.state, event);
      if (event.type === 'CaseOpened') {
        row.skus = [...new Set(next.items.map((i) => i.sku).filter((s): s is string => typeof s === 'string' && s !== ''))];
        seen(next.merchantId, next.openedAt);
      } else if (event.type === 'CaseTriaged') {
        const triage = event.data as { sentiment?: { label?: unknown }; repeatComplaint?: { repeat?: unknown } };
        if (typeof triage.sentiment?.label !== 'string') throw new PoisonEventError(event.eventId, 'CaseTriaged lacks its sentiment label');
        row.sentiment = triage.sentiment.label;
        row.repeat = triage.repeatComplaint?.repeat === true;
        row.triagedAt = event.occurredAt;
      }
      if (next.exists) outcomes.push(...slaOutcomesOf(row.state, next, event));
      row.state = next;
      rows.set(id, row);
    }
    await this.writeCaseRows(
      tx,
      table,
      ids.map((id) => rows.get(id)!).filter((r) => r.state.exists),
    );
    await this.writeSlaOutcomes(tx, suffix, outcomes);
  }

  private async loadCaseRows(tx: SqlQueryable, table: string, ids: string[]): Promise<Map<string, CaseRow>> {
    const loaded = await tx.query<{
      case_id: string;
      state: CaseState;
      skus: string[];
      sentiment: string | null;
      repeat_complaint: boolean | null;
      triaged_at: string | Date | null;
    }>(`SELECT case_id, state, skus, sentiment, repeat_complaint, triaged_at FROM ${table} WHERE case_id = ANY($1::text[])`, [ids]);
    return new Map<string, CaseRow>(
      loaded.rows.map((r) => [
        r.case_id,
        {
          state: r.state,
          skus: r.skus,
          sentiment: r.sentiment,
          repeat: r.repeat_complaint,
          triagedAt: r.triaged_at === null ? null : new Date(r.triaged_at).toISOString(),
        },
      ]),
    );
  }

  private async writeCaseRows(tx: SqlQueryable, table: string, touched: CaseRow[]): Promise<void> {
    if (!touched.length) return;
    const params: unknown[] = [];
    const tuples = touched.map((r) => {
      const base = params.push(r.state.caseId, JSON.stringify(r.state), r.state.merchantId, r.state.openedAt, r.skus, r.sentiment, r.repeat, r.triagedAt) - 8;
      const p = (i: number) => `$${base + i}`;
      return `(${p(1)}, ${p(2)}::jsonb, ${p(3)}, ${p(4)}::timestamptz, ${p(5)}::text[], ${p(6)}, ${p(7)}::boolean, ${p(8)}::timestamptz)`;
    });
    await tx.query(
      `INSERT INTO ${table} (case_id, state, merchant_id, opened_at, skus, sentiment, repeat_complaint, triaged_at) VALUES ${tuples.join(', ')}
       ON CONFLICT (case_id) DO UPDATE SET state = EXCLUDED.state, skus = EXCLUDED.skus, sentiment = EXCLUDED.sentiment,
         repeat_complaint = EXCLUDED.repeat_complaint, triaged_at = EXCLUDED.triaged_at`,
      params,
    );
  }

  private async writeSlaOutcomes(tx: SqlQueryable, suffix: string, outcomes: SlaOutcome[]): Promise<void> {
    if (!outcomes.length) return;
    // One row per clock ending (a clock ended twice at the same instant, reopened in between, is one ending).
    const unique = [...new Map(outcomes.map((o) => [`${o.caseId}|${o.clock}|${Date.parse(o.endedAt)}`, o])).values()];
    await tx.query(
      `INSERT INTO ${EARLY_WARNING_TABLES.slaOutcomes}${suffix} (case_id, clock, ended_at, merchant_id, breached)
       SELECT * FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::text[], $5::boolean[])
       ON CONFLICT (case_id, clock, ended_at) DO UPDATE SET breached = EXCLUDED.breached`,
      [unique.map((o) => o.caseId), unique.map((o) => o.clock), unique.map((o) => o.endedAt), unique.map((o) => o.merchantId), unique.map((o) => o.breached)],
    );
  }

  private async applySignal(tx: SqlQueryable, event: ProjectedEvent, suffix: string): Promise<void> {
    const table = `${EARLY_WARNING_TABLES.signals}${suffix}`;
    const key = signalKeyOf(event.streamId);
    const data = event.data as unknown as EarlyWarningRaisedData | EarlyWarningClearedData;
    if (typeof data?.kind !== 'string' || typeof data.since !== 'string' || !data.scope)
      throw new PoisonEventError(event.eventId, `${event.type} lacks its kind, scope or since`);
    if (event.type === 'EarlyWarningRaised') {
      await tx.query(
        `INSERT INTO ${table} (signal_key, kind, merchant_id, revision, active, data, since, cleared_at) VALUES ($1, $2, $3, $4, true, $5::jsonb, $6::timestamptz, NULL)
         ON CONFLICT (signal_key) DO UPDATE SET revision = EXCLUDED.revision, active = true, data = EXCLUDED.data, since = EXCLUDED.since, cleared_at = NULL`,
        [key, data.kind, data.scope.merchantId ?? null, event.revision, JSON.stringify(data), data.since],
      );
    } else if (event.type === 'EarlyWarningCleared') {
      const clearedAt = (data as EarlyWarningClearedData).clearedAt ?? event.occurredAt;
      await tx.query(
        `INSERT INTO ${table} (signal_key, kind, merchant_id, revision, active, data, since, cleared_at) VALUES ($1, $2, $3, $4, false, $5::jsonb, $6::timestamptz, $7::timestamptz)
         ON CONFLICT (signal_key) DO UPDATE SET revision = EXCLUDED.revision, active = false, data = EXCLUDED.data, cleared_at = EXCLUDED.cleared_at`,
        [key, data.kind, data.scope.merchantId ?? null, event.revision, JSON.stringify(data), data.since, clearedAt],
      );
    }
  }
}
