/**
 * The follow-up decisions (回访): the follow-up scheduled with each closure, the agent's record of the visit, and
 * the reopening the follow-up process manager asks for when the issue recurred. Pure, like the rest of `decide`.
 */
import type { ReopenAfterFollowUp, RecordFollowUp } from './case-commands';
import type { CaseReopened, FollowUpRecorded, FollowUpScheduled } from './case-events';
import type { CaseState, FollowUpState } from './case-state';
import type { Actor } from './case-vocabulary';
import type { FollowUpPolicy } from './follow-up-policy';
import { DEFAULT_FOLLOW_UP_POLICY, followUpDaysFor, followUpDueAt } from './follow-up-policy';
import { slaTimeIn } from './sla-time';

/** Follow-ups scheduled on closure and reopenings after a recurred issue are attributed to this actor. */
export const FOLLOW_UP_ACTOR: Actor = { type: 'system', id: 'follow-ups' };

/** The reason a reopening after a follow-up carries. */
export const ISSUE_RECURRED_REASON = 'The follow-up visit found the issue recurred';

function latest(state: CaseState): FollowUpState | undefined {
  return state.followUps?.at(-1);
}

/** Whether the current closure's follow-up is still to be recorded (a closure made before follow-ups existed has none scheduled). */
export function followUpOpen(state: CaseState): boolean {
  return latest(state)?.outcome === undefined;
}

/** Decided with a closure: its follow-up, due after the policy's days for the case type. */
export function scheduleFollowUp(state: CaseState, policy: FollowUpPolicy | undefined, now: string): FollowUpScheduled {
  const followUpDays = followUpDaysFor(policy ?? DEFAULT_FOLLOW_UP_POLICY, state.caseType);
  const sequence = (latest(state)?.sequence ?? 0) + 1;
  return { type: 'FollowUpScheduled', data: { sequence, dueAt: followUpDueAt(now, followUpDays), followUpDays }, occurredAt: now, actor: FOLLOW_UP_ACTOR };
}

/** The visit's outcome, on the closure's scheduled follow-up (or a new one on a closure that had none). */
export function recordFollowUp(command: RecordFollowUp, state: CaseState, now: string): FollowUpRecorded {
  const current = latest(state);
  const sequence = current && current.outcome === undefined ? current.sequence : (current?.sequence ?? 0) + 1;
  const { outcome, note } = command.payload;
  return { type: 'FollowUpRecorded', data: { sequence, outcome, ...(note !== undefined ? { note } : {}) }, occurredAt: now, actor: command.actor };
}

/**
 * Reopens the case once: only while it is still closed on the follow-up that found the issue recurred.
 * Anything else (already reopened, closed again since, another outcome) decides nothing.
 */
export function reopenAfterFollowUp(command: ReopenAfterFollowUp, state: CaseState, now: string): CaseReopened[] {
  const current = latest(state);
  if (!state.exists || state.status !== 'CLOSED') return [];
  if (current?.sequence !== command.payload.sequence || current.outcome !== 'ISSUE_RECURRED') return [];
  const resolutionDueAt = slaTimeIn(state.sla.calendar).add(now, state.sla.resolutionTargetMinutes * 60_000);
  return [{ type: 'CaseReopened', data: { reason: ISSUE_RECURRED_REASON, resolutionDueAt }, occurredAt: now, actor: command.actor }];
}
