/** Reads of the escalation view: open cases with time left, at-risk and breached lists, filterable. */
import type { CaseState, EscalationLevel, SlaClockReading } from '@aftersales/case-domain';
import { readSla } from '@aftersales/case-domain';
import type { SqlQueryable } from '@aftersales/sql-client';

export interface EscalationFilter {
  level?: EscalationLevel;
  team?: string;
  assignee?: string;
  merchantId?: string;
  /** `at-risk`: a running clock past its warning point; `breached`: a clock past due. */
  state?: 'at-risk' | 'breached';
  limit?: number;
}

export interface EscalationEntry {
  caseId: string;
  status: string;
  level: EscalationLevel;
  priority: string;
  type: string;
  merchantId: string;
  customerId: string;
  assignee?: string;
  team?: string;
  openedAt: string;
  firstResponse: SlaClockReading;
  resolution: SlaClockReading & { paused: boolean };
  atRisk: boolean;
  breached: boolean;
  recordedBreaches: string[];
  warnings: string[];
}

export interface EscalationView {
  asOf: string;
  total: number;
  breached: EscalationEntry[];
  atRisk: EscalationEntry[];
  cases: EscalationEntry[];
}

function entry(state: CaseState, now: Date, warningRatio: number): EscalationEntry {
  const sla = readSla(state, now, warningRatio);
  const firstOpen = !sla.firstResponse.metAt;
  const resolutionRunning = !sla.resolution.metAt && !sla.paused;
  return {
    caseId: state.caseId,
    status: state.status,
    level: state.escalationLevel,
    priority: state.priority,
    type: state.caseType,
    merchantId: state.merchantId,
    customerId: state.customerId,
    assignee: state.assignee?.agentId,
    team: state.assignee?.team,
    openedAt: state.openedAt,
    firstResponse: sla.firstResponse,
    resolution: { ...sla.resolution, paused: sla.paused },
    atRisk: (firstOpen && sla.firstResponse.atRisk) || (resolutionRunning && sla.resolution.atRisk),
    breached: (firstOpen && sla.firstResponse.breached) || (!sla.resolution.metAt && sla.resolution.breached),
    recordedBreaches: state.sla.breaches ?? [],
    warnings: state.sla.warnings ?? [],
  };
}

export async function readEscalationView(sql: SqlQueryable, filter: EscalationFilter, now: Date, warningRatio: number, suffix = ''): Promise<EscalationView> {
  const where = ['open'];
  const params: unknown[] = [];
  const add = (clause: string, value: unknown) => {
    params.push(value);
    where.push(clause.replace('?', `$${params.length}`));
  };
  if (filter.level) add('level = ?', filter.level);
  if (filter.team) add('team = ?', filter.team);
  if (filter.assignee) add('assignee = ?', filter.assignee);
  if (filter.merchantId) add('merchant_id = ?', filter.merchantId);
  const rows = await sql.query<{ state: CaseState }>(
    `SELECT state FROM rm_escalation_cases${suffix} WHERE ${where.join(' AND ')}
     ORDER BY LEAST(COALESCE(first_response_due_at, 'infinity'), COALESCE(resolution_due_at, 'infinity')), case_id`,
    params,
  );
  let all = rows.rows.map((r) => entry(r.state, now, warningRatio));
  if (filter.state === 'breached') all = all.filter((e) => e.breached);
  if (filter.state === 'at-risk') all = all.filter((e) => e.atRisk && !e.breached);
  const limit = filter.limit ?? 200;
  return {
    asOf: now.toISOString(),
    total: all.length,
    breached: all.filter((e) => e.breached).slice(0, limit),
    atRisk: all.filter((e) => e.atRisk && !e.breached).slice(0, limit),
    cases: all.slice(0, limit),
  };
}

/** Open cases whose clocks may need a warning or a breach recorded: the SLA watch's work list. */
export async function casesDueForObservation(
  sql: SqlQueryable,
  now: Date,
  warningRatio: number,
): Promise<Array<{ caseId: string; observation: 'record-sla-warning' | 'record-sla-breach'; clock: 'FIRST_RESPONSE' | 'RESOLUTION' }>> {
  const rows = await sql.query<{ state: CaseState }>(
    `SELECT state FROM rm_escalation_cases WHERE open AND (first_response_due_at IS NOT NULL OR resolution_due_at IS NOT NULL)`,
  );
  const work: Array<{ caseId: string; observation: 'record-sla-warning' | 'record-sla-breach'; clock: 'FIRST_RESPONSE' | 'RESOLUTION' }> = [];
  for (const { state } of rows.rows) {
    const sla = readSla(state, now, warningRatio);
    const clocks: Array<['FIRST_RESPONSE' | 'RESOLUTION', SlaClockReading, boolean]> = [
      ['FIRST_RESPONSE', sla.firstResponse, true],
      ['RESOLUTION', sla.resolution, !sla.paused],
    ];
    for (const [clock, reading, running] of clocks) {
      if (reading.metAt || !running || state.sla.breaches?.includes(clock)) continue;
      if (reading.breached) work.push({ caseId: state.caseId, observation: 'record-sla-breach', clock });
      else if (reading.atRisk && !state.sla.warnings?.includes(clock)) work.push({ caseId: state.caseId, observation: 'record-sla-warning', clock });
    }
  }
  return work;
}

/** Open cases with a first-response or a (running) resolution clock past due at `now`: the overdue clocks gauge. */
export async function countOverdueClocks(sql: SqlQueryable, now: Date): Promise<{ firstResponse: number; resolution: number }> {
  const rows = await sql.query<{ first: string | number; resolution: string | number }>(
    `SELECT count(*) FILTER (WHERE first_response_due_at < $1::timestamptz) AS first,
            count(*) FILTER (WHERE resolution_due_at < $1::timestamptz AND (state->'sla'->>'pausedSince') IS NULL) AS resolution
     FROM rm_escalation_cases WHERE open`,
    [now.toISOString()],
  );
  const row = rows.rows[0];
  return { firstResponse: Number(row?.first ?? 0), resolution: Number(row?.resolution ?? 0) };
}
