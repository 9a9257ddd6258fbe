/** What a command answers: the case's status and revision after it, and what can be done next. */
import type { CaseState, EscalationLevel } from '@aftersales/case-domain';
import { allowedActions, foldCase } from '@aftersales/case-domain';
import type { StoredEvent } from '@aftersales/event-store';
import { toDomainEvent } from './case-stream';
import type { RequestFingerprint } from './request-fingerprint';

export interface CaseCommandAnswer {
  caseId: string;
  status: CaseState['status'];
  revision: number;
  escalationLevel: EscalationLevel;
  allowedActions: string[];
  sla: {
    policyId: string;
    policyVersion: number;
    firstResponseDueAt: string;
    resolutionDueAt: string;
    paused: boolean;
    /** The business-hours calendar the due times count in; absent: 24×7. */
    calendar?: { id: string; version: number; timeZone: string };
  };
  /** True when this answer repeats an earlier one for the same Idempotency-Key. */
  replayed: boolean;
}

export function answerFor(state: CaseState, replayed = false): CaseCommandAnswer {
  return {
    caseId: state.caseId,
    status: state.status,
    revision: state.revision,
    escalationLevel: state.escalationLevel,
    allowedActions: allowedActions(state),
    sla: {
      policyId: state.sla.policyId,
      policyVersion: state.sla.policyVersion,
      firstResponseDueAt: state.sla.firstResponseDueAt,
      resolutionDueAt: state.sla.resolutionDueAt,
      paused: state.sla.pausedSince !== undefined,
      ...calendarRef(state),
    },
    replayed,
  };
}

/** The calendar a case counts in, by id, version and zone (its full content is in the CaseOpened event). */
export function calendarRef(state: CaseState): { calendar?: { id: string; version: number; timeZone: string } } {
  const c = state.sla.calendar;
  return c ? { calendar: { id: c.id, version: c.version, timeZone: c.timeZone } } : {};
}

/**
 * If an earlier command carried this Idempotency-Key, the answer it got (the case as that command left it),
 * or 'conflict' when the key came with a different request. Undefined when the key is new.
 */
export function earlierAnswer(
  caseId: string,
  history: StoredEvent[],
  key: string | undefined,
  fingerprint: RequestFingerprint | undefined,
): CaseCommandAnswer | 'conflict' | undefined {
  if (!key) return undefined;
  let lastIndex = -1;
  for (let i = history.length - 1; i >= 0; i--) {
    if (history[i].metadata.idempotencyKey === key) {
      lastIndex = i;
      break;
    }
  }
  if (lastIndex < 0) return undefined;
  if (!fingerprint?.matches(history[lastIndex].metadata.requestHash)) return 'conflict';
  return answerFor(foldCase(caseId, history.slice(0, lastIndex + 1).map(toDomainEvent)), true);
}
