/**
 * Satisfaction view (spec section 5): one row per case with the facts the aggregates need; the aggregates by
 * merchant, agent, team, case type, channel and day are computed from these rows when asked.
 */
import type { CaseState } from '@aftersales/case-domain';
import type { SqlQueryable } from '@aftersales/sql-client';
import { CaseFoldTable, minutesBetween } from '../case-fold-table';
import type { Projection } from '../projection';
import type { ProjectedEvent } from '../projected-event';
import { isCaseStream } from '../projected-event';

const ENDED = ['RESOLVED', 'CLOSED', 'REJECTED', 'WITHDRAWN'];

function wasResolved(s: CaseState): boolean {
  return s.resolvedAt !== undefined || (s.status === 'CLOSED' && !s.rejection);
}

/** Resolved at the first contact: no reopening, no information requested, at most one agent message. */
export function firstContactResolution(s: CaseState): boolean | null {
  if (!wasResolved(s)) return null;
  return s.reopenCount === 0 && s.messages.agent <= 1 && s.sla.pausedMsTotal === 0 && !s.escalations.some((e) => e.reason === 'UNANSWERED_CUSTOMER_CONTACTS');
}

/** Both clocks met on time; null while the case is still open and nothing is breached yet. */
export function slaMet(s: CaseState): boolean | null {
  const firstOk = s.sla.firstRespondedAt !== undefined && Date.parse(s.sla.firstRespondedAt) <= Date.parse(s.sla.firstResponseDueAt);
  if (!ENDED.includes(s.status)) return s.sla.breaches.length > 0 ? false : null;
  const resolutionOk = !s.resolvedAt || Date.parse(s.resolvedAt) <= Date.parse(s.sla.resolutionDueAt);
  return firstOk && resolutionOk && s.sla.breaches.length === 0;
}

/** Follow-up visits of the case (回访): scheduled with each closure, recorded, reached the customer, found the issue recurred. */
const followUps = (s: CaseState) => s.followUps ?? [];
const REACHED = ['REACHED_SATISFIED', 'REACHED_UNSATISFIED'];
const FOLLOW_UP_COLUMNS = [
  { name: 'follow_ups_scheduled', sqlType: 'INTEGER NOT NULL DEFAULT 0', value: (s: CaseState) => followUps(s).filter((f) => f.dueAt !== undefined).length },
  { name: 'follow_ups_recorded', sqlType: 'INTEGER NOT NULL DEFAULT 0', value: (s: CaseState) => followUps(s).filter((f) => f.outcome !== undefined).length },
  {
    name: 'follow_ups_reached',
    sqlType: 'INTEGER NOT NULL DEFAULT 0',
    value: (s: CaseState) => followUps(s).filter((f) => REACHED.includes(f.outcome ?? '')).length,
  },
  {
    name: 'follow_ups_recurred',
    sqlType: 'INTEGER NOT NULL DEFAULT 0',
    value: (s: CaseState) => followUps(s).filter((f) => f.outcome === 'ISSUE_RECURRED').length,
  },
];

export const satisfactionTable = new CaseFoldTable(
  'rm_satisfaction_cases',
  [
    { name: 'merchant_id', sqlType: 'TEXT NOT NULL', value: (s: CaseState) => s.merchantId },
    { name: 'agent_id', sqlType: 'TEXT', value: (s) => s.assignee?.agentId },
    { name: 'team', sqlType: 'TEXT', value: (s) => s.assignee?.team },
    { name: 'case_type', sqlType: 'TEXT NOT NULL', value: (s) => s.caseType },
    { name: 'channel', sqlType: 'TEXT NOT NULL', value: (s) => s.channel },
    { name: 'opened_day', sqlType: 'DATE NOT NULL', value: (s) => s.openedAt.slice(0, 10) },
    { name: 'status', sqlType: 'TEXT NOT NULL', value: (s) => s.status },
    { name: 'csat', sqlType: 'INTEGER', value: (s) => s.satisfaction?.score },
    { name: 'nps', sqlType: 'INTEGER', value: (s) => s.satisfaction?.nps },
    { name: 'first_response_minutes', sqlType: 'DOUBLE PRECISION', value: (s) => minutesBetween(s.openedAt, s.sla.firstRespondedAt) },
    { name: 'resolution_minutes', sqlType: 'DOUBLE PRECISION', value: (s) => minutesBetween(s.openedAt, s.resolvedAt, s.sla.pausedMsTotal) },
    { name: 'resolved', sqlType: 'BOOLEAN NOT NULL', value: wasResolved },
    { name: 'ended', sqlType: 'BOOLEAN NOT NULL', value: (s) => ENDED.includes(s.status) },
    { name: 'first_contact_resolution', sqlType: 'BOOLEAN', value: firstContactResolution },
    { name: 'reopened', sqlType: 'BOOLEAN NOT NULL', value: (s) => s.reopenCount > 0 },
    { name: 'sla_met', sqlType: 'BOOLEAN', value: slaMet },
    ...FOLLOW_UP_COLUMNS,
  ],
  ['merchant_id', 'opened_day'],
);

export class SatisfactionProjection implements Projection {
  readonly name = 'satisfaction' as const;
  /** docs/views.md: raise when rows written before a change differ from what the projection writes now. */
  readonly shapeVersion = 2;
  readonly tables = ['rm_satisfaction_cases'];

  schema(suffix: string): string {
    // Tables made before follow-ups were counted get the columns (0 is right for them: no follow-up existed yet).
    const added = FOLLOW_UP_COLUMNS.map((c) => `ALTER TABLE rm_satisfaction_cases${suffix} ADD COLUMN IF NOT EXISTS ${c.name} ${c.sqlType};`);
    return [satisfactionTable.ddl(suffix), ...added].join('\n');
  }

  wants(streamId: string): boolean {
    return isCaseStream(streamId);
  }

  async apply(tx: SqlQueryable, events: ProjectedEvent[], suffix: string): Promise<void> {
    await satisfactionTable.apply(tx, events, suffix);
  }
}
