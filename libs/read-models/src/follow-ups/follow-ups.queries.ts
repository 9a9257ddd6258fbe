/** Reads of the follow-up process manager's table: follow-ups due (or done) by a time, and reopenings still to ask for. */
import type { FollowUpOutcome } from '@aftersales/case-domain';
import type { SqlClient, SqlQueryable } from '@aftersales/sql-client';
import type { FollowUpStatus } from './follow-up-reducer';
import { FOLLOW_UPS_TABLE, followUpFrom } from './follow-ups.projection';

export interface FollowUpFilter {
  /** Follow-ups due at or before this instant (ISO 8601). */
  dueBefore?: string;
  status?: FollowUpStatus;
  limit?: number;
}

/** One follow-up as GET /views/follow-ups lists it. */
export interface FollowUpEntry {
  caseId: string;
  sequence: number;
  merchantId: string;
  customerId: string;
  caseType: string;
  closedAt: string;
  dueAt: string | null;
  status: FollowUpStatus;
  outcome: FollowUpOutcome | null;
  recordedAt: string | null;
}

export const DEFAULT_FOLLOW_UP_LIMIT = 500;

export async function listFollowUps(sql: SqlQueryable, filter: FollowUpFilter): Promise<FollowUpEntry[]> {
  const where: string[] = ['TRUE'];
  const params: unknown[] = [];
  const add = (clause: string, value: unknown) => {
    params.push(value);
    where.push(clause.replace('?', `$${params.length}`));
  };
  if (filter.dueBefore) add('due_at <= ?::timestamptz', new Date(filter.dueBefore).toISOString());
  if (filter.status) add('status = ?', filter.status);
  params.push(filter.limit ?? DEFAULT_FOLLOW_UP_LIMIT);
  const rows = await sql.query<Record<string, unknown>>(
    `SELECT * FROM ${FOLLOW_UPS_TABLE} WHERE ${where.join(' AND ')} ORDER BY due_at NULLS LAST, case_id, sequence LIMIT $${params.length}`,
    params,
  );
  return rows.rows.map(followUpFrom).map((f) => ({
    caseId: f.caseId,
    sequence: f.sequence,
    merchantId: f.merchantId,
    customerId: f.customerId,
    caseType: f.caseType,
    closedAt: f.closedAt,
    dueAt: f.dueAt ?? null,
    status: f.status,
    outcome: f.outcome ?? null,
    recordedAt: f.recordedAt ?? null,
  }));
}

/** A reopening the process manager still has to ask for: the follow-up that found the issue recurred. */
export interface PendingReopen {
  caseId: string;
  sequence: number;
  recordedEventId: string;
  correlationId?: string;
}

export async function pendingReopens(sql: SqlQueryable, limit = 100): Promise<PendingReopen[]> {
  const rows = await sql.query<Record<string, unknown>>(`SELECT * FROM ${FOLLOW_UPS_TABLE} WHERE reopen = 'PENDING' ORDER BY recorded_at, case_id LIMIT $1`, [
    limit,
  ]);
  return rows.rows
    .map(followUpFrom)
    .map((f) => ({ caseId: f.caseId, sequence: f.sequence, recordedEventId: f.recordedEventId ?? '', correlationId: f.correlationId }));
}

/**
 * The reopening was asked for and the aggregate answered (reopened, or nothing left to reopen): no longer pending.
 * Under the projection's lock, like every runner transaction, so it never interleaves with a batch being applied.
 */
export async function settleReopen(sql: SqlClient, caseId: string, sequence: number): Promise<void> {
  await sql.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', ['projection:follow-ups']);
    await tx.query(`UPDATE ${FOLLOW_UPS_TABLE} SET reopen = 'DONE' WHERE case_id = $1 AND sequence = $2 AND reopen = 'PENDING'`, [caseId, sequence]);
  });
}
