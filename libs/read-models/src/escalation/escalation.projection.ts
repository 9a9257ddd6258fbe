/**
 * Escalation view (spec section 4): every case with its level, SLA due times, assignee and team. Whether a clock
 * is at risk or breached depends on the time of the question, so it is read at query time from the stored terms.
 */
import type { CaseState } from '@aftersales/case-domain';
import { isBeforeResolution } from '@aftersales/case-domain';
import type { SqlQueryable } from '@aftersales/sql-client';
import { CaseFoldTable } from '../case-fold-table';
import type { Projection } from '../projection';
import type { ProjectedEvent } from '../projected-event';
import { isCaseStream } from '../projected-event';

export const escalationTable = new CaseFoldTable(
  'rm_escalation_cases',
  [
    { name: 'open', sqlType: 'BOOLEAN NOT NULL', value: (s: CaseState) => isBeforeResolution(s.status) },
    { name: 'status', sqlType: 'TEXT NOT NULL', value: (s) => s.status },
    { name: 'level', sqlType: 'TEXT NOT NULL', value: (s) => s.escalationLevel },
    { name: 'priority', sqlType: 'TEXT NOT NULL', value: (s) => s.priority },
    { name: 'merchant_id', sqlType: 'TEXT NOT NULL', value: (s) => s.merchantId },
    { name: 'assignee', sqlType: 'TEXT', value: (s) => s.assignee?.agentId },
    { name: 'team', sqlType: 'TEXT', value: (s) => s.assignee?.team },
    { name: 'first_response_due_at', sqlType: 'TIMESTAMPTZ', value: (s) => (s.sla.firstRespondedAt ? null : s.sla.firstResponseDueAt) },
    { name: 'resolution_due_at', sqlType: 'TIMESTAMPTZ', value: (s) => (s.sla.stoppedAt ? null : s.sla.resolutionDueAt) },
    { name: 'updated_at', sqlType: 'TIMESTAMPTZ NOT NULL', value: (s) => s.updatedAt },
  ],
  ['open, level', 'open, team', 'open, first_response_due_at', 'open, resolution_due_at'],
);

export class EscalationProjection implements Projection {
  readonly name = 'escalation' as const;
  /** docs/views.md: raise when rows written before a change differ from what the projection writes now. */
  readonly shapeVersion = 1;
  readonly tables = ['rm_escalation_cases'];

  schema(suffix: string): string {
    return escalationTable.ddl(suffix);
  }

  wants(streamId: string): boolean {
    return isCaseStream(streamId);
  }

  async apply(tx: SqlQueryable, events: ProjectedEvent[], suffix: string): Promise<void> {
    await escalationTable.apply(tx, events, suffix);
  }
}
