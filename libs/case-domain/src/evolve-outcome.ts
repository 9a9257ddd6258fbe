/** evolve for how a case ends and what follows: resolution, rejection, reopening, satisfaction, closure, withdrawal, follow-ups. */
import type { CaseState, FollowUpState } from './case-state';
import type { EvolverTable } from './evolve-table';
import { responded } from './evolve-table';

type OutcomeEvent =
  'CaseResolved' | 'CaseRejected' | 'CaseReopened' | 'SatisfactionRecorded' | 'CaseClosed' | 'CaseWithdrawn' | 'FollowUpScheduled' | 'FollowUpRecorded';

/** The follow-up with `sequence` changed (or added when the case has none with that number yet). */
function withFollowUp(s: CaseState, sequence: number, change: Omit<FollowUpState, 'sequence'>): CaseState {
  const followUps = s.followUps ?? [];
  const known = followUps.some((f) => f.sequence === sequence);
  return {
    ...s,
    followUps: known ? followUps.map((f) => (f.sequence === sequence ? { ...f, ...change } : f)) : [...followUps, { sequence, ...change }],
  };
}

export const OUTCOME_EVOLVERS: EvolverTable<OutcomeEvent> = {
  CaseResolved: (s, e) => ({ ...s, status: 'RESOLVED', resolvedAt: e.occurredAt, sla: { ...s.sla, stoppedAt: e.occurredAt } }),
  CaseRejected: (s, e) => ({
    ...s,
    status: 'REJECTED',
    rejection: { ...e.data, at: e.occurredAt },
    sla: { ...responded(s, e.occurredAt), stoppedAt: e.occurredAt },
  }),
  CaseReopened: (s, e) => ({
    ...s,
    status: 'REOPENED',
    reopenCount: s.reopenCount + 1,
    resolution: undefined,
    resolvedAt: undefined,
    rejection: undefined,
    // Only a follow-up reopens a closed case; the closure no longer holds once it is back at work.
    closedAt: undefined,
    sla: {
      ...s.sla,
      stoppedAt: undefined,
      resolutionDueAt: e.data.resolutionDueAt,
      warnings: s.sla.warnings.filter((c) => c !== 'RESOLUTION'),
      breaches: s.sla.breaches.filter((c) => c !== 'RESOLUTION'),
    },
  }),
  SatisfactionRecorded: (s, e) => ({ ...s, satisfaction: { ...e.data, at: e.occurredAt } }),
  CaseClosed: (s, e) => ({ ...s, status: 'CLOSED', closedAt: e.occurredAt }),
  CaseWithdrawn: (s, e) => ({
    ...s,
    status: 'WITHDRAWN',
    withdrawal: { reason: e.data.reason, at: e.occurredAt },
    sla: { ...s.sla, stoppedAt: e.occurredAt },
  }),
  FollowUpScheduled: (s, { data, occurredAt }) =>
    withFollowUp(s, data.sequence, { scheduledAt: occurredAt, dueAt: data.dueAt, followUpDays: data.followUpDays }),
  FollowUpRecorded: (s, { data, occurredAt }) => withFollowUp(s, data.sequence, { outcome: data.outcome, note: data.note, recordedAt: occurredAt }),
};
