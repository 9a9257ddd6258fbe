/**
 * The follow-up process manager's pure reducer: one case's follow-ups (回访) from its events. A follow-up is DUE
 * from its FollowUpScheduled until an agent records it (DONE); a recorded ISSUE_RECURRED leaves a reopening
 * PENDING until the case's CaseReopened is seen (the reopener sends the command for what is pending).
 */
import type { FollowUpOutcome } from '@aftersales/case-domain';
import { FOLLOW_UP_OUTCOMES } from '@aftersales/case-domain';
import type { ProjectedEvent } from '../projected-event';
import { caseIdOf } from '../projected-event';
import { PoisonEventError } from '../poison-event';

export type FollowUpStatus = 'DUE' | 'DONE';
export const FOLLOW_UP_STATUSES: readonly FollowUpStatus[] = ['DUE', 'DONE'];

/** The facts of a case a follow-up listing names. */
export interface FollowUpCase {
  caseId: string;
  merchantId: string;
  customerId: string;
  caseType: string;
  closedAt?: string;
}

export interface FollowUp {
  caseId: string;
  sequence: number;
  merchantId: string;
  customerId: string;
  caseType: string;
  closedAt: string;
  /** Absent for a follow-up recorded on a closure made before follow-ups were scheduled. */
  dueAt?: string;
  status: FollowUpStatus;
  outcome?: FollowUpOutcome;
  recordedAt?: string;
  /** `PENDING` from an ISSUE_RECURRED until the case's reopening is seen; then `DONE`. */
  reopen?: 'PENDING' | 'DONE';
  /** The FollowUpRecorded event (the reopening's cause) and its correlation id. */
  recordedEventId?: string;
  correlationId?: string;
}

export interface FollowUpCaseView {
  case?: FollowUpCase;
  followUps: FollowUp[];
}

const isInstant = (v: unknown): v is string => typeof v === 'string' && Number.isFinite(Date.parse(v));
const isSequence = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 1;

function put(view: FollowUpCaseView, followUp: FollowUp): FollowUpCaseView {
  return { ...view, followUps: [...view.followUps.filter((f) => f.sequence !== followUp.sequence), followUp].sort((a, b) => a.sequence - b.sequence) };
}

/** The case's facts; an opening that lacks them is left out here (the views that need them dead-letter it). */
function opened(view: FollowUpCaseView, event: ProjectedEvent): FollowUpCaseView {
  const { merchantId, customerId, caseType } = event.data;
  if (typeof merchantId !== 'string' || typeof customerId !== 'string' || typeof caseType !== 'string') return view;
  return { ...view, case: { caseId: caseIdOf(event.streamId), merchantId, customerId, caseType } };
}

function scheduled(view: FollowUpCaseView, c: FollowUpCase, event: ProjectedEvent, poison: (why: string) => Error): FollowUpCaseView {
  const { sequence, dueAt } = event.data;
  if (!isSequence(sequence) || !isInstant(dueAt)) throw poison('FollowUpScheduled needs a sequence from 1 and an ISO dueAt');
  const { closedAt, ...facts } = c;
  return put(view, { ...facts, sequence, closedAt: closedAt ?? event.occurredAt, dueAt: new Date(dueAt).toISOString(), status: 'DUE' });
}

function recorded(view: FollowUpCaseView, c: FollowUpCase, event: ProjectedEvent, poison: (why: string) => Error): FollowUpCaseView {
  const { sequence, outcome } = event.data;
  if (!isSequence(sequence) || !(FOLLOW_UP_OUTCOMES as readonly unknown[]).includes(outcome)) {
    throw poison(`FollowUpRecorded needs a sequence from 1 and an outcome of ${FOLLOW_UP_OUTCOMES.join(', ')}`);
  }
  const { closedAt, ...facts } = c;
  const earlier = view.followUps.find((f) => f.sequence === sequence);
  return put(view, {
    ...(earlier ?? { ...facts, sequence, closedAt: closedAt ?? event.occurredAt }),
    status: 'DONE',
    outcome: outcome as FollowUpOutcome,
    recordedAt: event.occurredAt,
    reopen: outcome === 'ISSUE_RECURRED' ? 'PENDING' : undefined,
    recordedEventId: event.eventId,
    correlationId: event.correlationId,
  });
}

/** Folds one event of the case into its follow-ups; events that do not concern follow-ups change nothing. */
export function reduceFollowUps(view: FollowUpCaseView, event: ProjectedEvent): FollowUpCaseView {
  const poison = (why: string) => new PoisonEventError(event.eventId, why);
  if (event.type === 'CaseOpened') return opened(view, event);
  const c = view.case;
  const concerns = ['CaseClosed', 'CaseReopened', 'FollowUpScheduled', 'FollowUpRecorded'].includes(event.type);
  if (!concerns) return view;
  if (!c) throw poison(`${event.type} for case ${caseIdOf(event.streamId)} before CaseOpened`);
  switch (event.type) {
    case 'CaseClosed':
      return { ...view, case: { ...c, closedAt: event.occurredAt } };
    case 'CaseReopened':
      return { case: { ...c, closedAt: undefined }, followUps: view.followUps.map((f) => (f.reopen === 'PENDING' ? { ...f, reopen: 'DONE' } : f)) };
    case 'FollowUpScheduled':
      return scheduled(view, c, event, poison);
    default:
      return recorded(view, c, event, poison);
  }
}
