/**
 * The follow-up process manager (spec section 4, 回访) as a projection: its own checkpointed consumer of the case
 * events, keeping every case's follow-ups (DUE or DONE, with the outcome) and the reopenings still to be asked
 * for, written with the runner's checkpoint in one transaction. Rebuildable like the views; the reopener
 * (follow-up-reopener.ts) sends the reopen commands for what it leaves pending.
 */
import type { SqlQueryable } from '@aftersales/sql-client';
import type { Projection } from '../projection';
import type { ProjectedEvent } from '../projected-event';
import { caseIdOf, isCaseStream } from '../projected-event';
import type { FollowUp, FollowUpCase, FollowUpCaseView } from './follow-up-reducer';
import { reduceFollowUps } from './follow-up-reducer';

export const FOLLOW_UP_CASES_TABLE = 'rm_follow_up_cases';
export const FOLLOW_UPS_TABLE = 'rm_follow_ups';

const FOLLOW_UP_COLUMNS = [
  'case_id',
  'sequence',
  'merchant_id',
  'customer_id',
  'case_type',
  'closed_at',
  'due_at',
  'status',
  'outcome',
  'recorded_at',
  'reopen',
  'recorded_event_id',
  'correlation_id',
] as const;

export class FollowUpsProjection implements Projection {
  readonly name = 'follow-ups' as const;
  readonly tables = [FOLLOW_UP_CASES_TABLE, FOLLOW_UPS_TABLE];

  schema(suffix: string): string {
    const cases = `${FOLLOW_UP_CASES_TABLE}${suffix}`;
    const rows = `${FOLLOW_UPS_TABLE}${suffix}`;
    return `
CREATE TABLE IF NOT EXISTS ${cases} (
  case_id     TEXT PRIMARY KEY,
  merchant_id TEXT NOT NULL,
  customer_id TEXT NOT NULL,
  case_type   TEXT NOT NULL,
  closed_at   TIMESTAMPTZ
);
CREATE TABLE IF NOT EXISTS ${rows} (
  case_id           TEXT NOT NULL,
  sequence          INTEGER NOT NULL,
  merchant_id       TEXT NOT NULL,
  customer_id       TEXT NOT NULL,
  case_type         TEXT NOT NULL,
  closed_at         TIMESTAMPTZ NOT NULL,
  due_at            TIMESTAMPTZ,
  status            TEXT NOT NULL,
  outcome           TEXT,
  recorded_at       TIMESTAMPTZ,
  reopen            TEXT,
  recorded_event_id TEXT,
  correlation_id    TEXT,
  PRIMARY KEY (case_id, sequence)
);
CREATE INDEX IF NOT EXISTS ${rows}_due ON ${rows} (status, due_at);
CREATE INDEX IF NOT EXISTS ${rows}_reopen ON ${rows} (reopen) WHERE reopen = 'PENDING';`;
  }

  wants(streamId: string): boolean {
    return isCaseStream(streamId);
  }

  async apply(tx: SqlQueryable, events: ProjectedEvent[], suffix: string): Promise<void> {
    const ids = [...new Set(events.map((e) => caseIdOf(e.streamId)))];
    const views = await this.load(tx, ids, suffix);
    for (const event of events) {
      const id = caseIdOf(event.streamId);
      views.set(id, reduceFollowUps(views.get(id) ?? { followUps: [] }, event));
    }
    await this.save(tx, [...views.values()], suffix);
  }

  private async load(tx: SqlQueryable, ids: string[], suffix: string): Promise<Map<string, FollowUpCaseView>> {
    const cases = await tx.query<Record<string, unknown>>(`SELECT * FROM ${FOLLOW_UP_CASES_TABLE}${suffix} WHERE case_id = ANY($1::text[])`, [ids]);
    const rows = await tx.query<Record<string, unknown>>(`SELECT * FROM ${FOLLOW_UPS_TABLE}${suffix} WHERE case_id = ANY($1::text[]) ORDER BY sequence`, [ids]);
    const views = new Map<string, FollowUpCaseView>(cases.rows.map((r) => [String(r.case_id), { case: caseFrom(r), followUps: [] }]));
    for (const r of rows.rows) views.get(String(r.case_id))?.followUps.push(followUpFrom(r));
    return views;
  }

  private async save(tx: SqlQueryable, views: FollowUpCaseView[], suffix: string): Promise<void> {
    const cases = views.flatMap((v) => (v.case ? [v.case] : []));
    if (cases.length) {
      await tx.query(
        `INSERT INTO ${FOLLOW_UP_CASES_TABLE}${suffix} (case_id, merchant_id, customer_id, case_type, closed_at)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::timestamptz[])
         ON CONFLICT (case_id) DO UPDATE SET closed_at = EXCLUDED.closed_at`,
        [
          cases.map((c) => c.caseId),
          cases.map((c) => c.merchantId),
          cases.map((c) => c.customerId),
          cases.map((c) => c.caseType),
          cases.map((c) => c.closedAt ?? null),
        ],
      );
    }
    const rows = views.flatMap((v) => v.followUps);
    if (rows.length === 0) return;
    const columns = rowColumns(rows);
    const types = ['text', 'int', 'text', 'text', 'text', 'timestamptz', 'timestamptz', 'text', 'text', 'timestamptz', 'text', 'text', 'text'];
    const updates = FOLLOW_UP_COLUMNS.slice(2)
      .map((c) => `${c} = EXCLUDED.${c}`)
      .join(', ');
    await tx.query(
      `INSERT INTO ${FOLLOW_UPS_TABLE}${suffix} (${FOLLOW_UP_COLUMNS.join(', ')})
       SELECT * FROM unnest(${types.map((t, i) => `$${i + 1}::${t}[]`).join(', ')})
       ON CONFLICT (case_id, sequence) DO UPDATE SET ${updates}`,
      columns,
    );
  }
}

function rowColumns(rows: FollowUp[]): unknown[][] {
  const pick = (f: (r: FollowUp) => unknown) => rows.map((r) => f(r) ?? null);
  return [
    pick((r) => r.caseId),
    pick((r) => r.sequence),
    pick((r) => r.merchantId),
    pick((r) => r.customerId),
    pick((r) => r.caseType),
    pick((r) => r.closedAt),
    pick((r) => r.dueAt),
    pick((r) => r.status),
    pick((r) => r.outcome),
    pick((r) => r.recordedAt),
    pick((r) => r.reopen),
    pick((r) => r.recordedEventId),
    pick((r) => r.correlationId),
  ];
}

const iso = (v: unknown): string | undefined => (v === null || v === undefined ? undefined : new Date(v as string).toISOString());
const text = (v: unknown): string | undefined => (v === null || v === undefined ? undefined : String(v));

function caseFrom(r: Record<string, unknown>): FollowUpCase {
  return {
    caseId: String(r.case_id),
    merchantId: String(r.merchant_id),
    customerId: String(r.customer_id),
    caseType: String(r.case_type),
    closedAt: iso(r.closed_at),
  };
}

export function followUpFrom(r: Record<string, unknown>): FollowUp {
  return {
    caseId: String(r.case_id),
    sequence: Number(r.sequence),
    merchantId: String(r.merchant_id),
    customerId: String(r.customer_id),
    caseType: String(r.case_type),
    closedAt: iso(r.closed_at)!,
    dueAt: iso(r.due_at),
    status: r.status as FollowUp['status'],
    outcome: text(r.outcome) as FollowUp['outcome'],
    recordedAt: iso(r.recorded_at),
    reopen: text(r.reopen) as FollowUp['reopen'],
    recordedEventId: text(r.recorded_event_id),
    correlationId: text(r.correlation_id),
  };
}
