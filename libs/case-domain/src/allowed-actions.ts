/**
 * The state machine in one place: which actions a case in a given state accepts. `decide` refuses anything
 * else with an IllegalTransitionError that carries this list.
 */
import type { CaseState } from './case-state';
import type { CaseAction, CaseStatus } from './case-vocabulary';
import { CASE_ACTIONS } from './case-vocabulary';
import { followUpOpen } from './decide-follow-up';

const BEFORE_RESOLUTION: CaseStatus[] = ['OPEN', 'ACKNOWLEDGED', 'IN_PROGRESS', 'AWAITING_CUSTOMER', 'RESOLUTION_PROPOSED', 'REOPENED'];

function byStatus(state: CaseState): CaseAction[] {
  switch (state.status) {
    case 'OPEN':
      return ['acknowledge', 'customer-message', 'escalate', 'reject', 'withdraw'];
    case 'ACKNOWLEDGED':
      return ['assign', 'reply', 'request-info', 'customer-message', 'escalate', 'reject', 'withdraw'];
    case 'IN_PROGRESS':
    case 'REOPENED':
      return [
        'assign',
        'reply',
        'request-info',
        'customer-message',
        'escalate',
        'propose-resolution',
        'authorize-return',
        'return-shipped',
        'return-received',
        'issue-refund',
        'ship-replacement',
        'complete-repair',
        'grant-compensation',
        'resolve',
        'reject',
        'withdraw',
      ];
    case 'AWAITING_CUSTOMER':
      return ['assign', 'reply', 'customer-message', 'escalate', 'reject', 'withdraw'];
    case 'RESOLUTION_PROPOSED':
      return ['assign', 'reply', 'customer-message', 'escalate', 'propose-resolution', 'accept-resolution', 'reject-resolution', 'withdraw'];
    case 'RESOLVED':
      return ['grant-compensation', 'record-satisfaction', 'reopen', 'close'];
    case 'CLOSED':
      return ['record-satisfaction', 'record-follow-up'];
    case 'REJECTED':
      return ['reopen', 'close'];
    case 'WITHDRAWN':
      return [];
  }
}

/** Conditions beyond the status: the return sub-flow, the accepted resolution, one-off facts. */
function stillPossible(state: CaseState, action: CaseAction): boolean {
  const accepted = state.resolution?.status === 'ACCEPTED' ? state.resolution : undefined;
  const activeReturn = state.returnFlow && state.returnFlow.status !== 'INSPECTED' ? state.returnFlow : undefined;
  switch (action) {
    case 'escalate':
      return state.escalationLevel !== 'L3';
    case 'authorize-return':
      return !activeReturn;
    case 'return-shipped':
      return activeReturn?.status === 'AUTHORIZED';
    case 'return-received':
      return activeReturn?.status === 'AUTHORIZED' || activeReturn?.status === 'SHIPPED';
    case 'issue-refund':
      return accepted?.kind === 'REFUND' || accepted?.kind === 'PARTIAL_REFUND';
    case 'ship-replacement':
      return accepted?.kind === 'REPLACEMENT' && !accepted.replacementShipped;
    case 'complete-repair':
      return accepted?.kind === 'REPAIR' && !accepted.repairCompleted;
    case 'resolve':
      return accepted !== undefined;
    case 'record-satisfaction':
      return state.satisfaction === undefined;
    case 'record-follow-up':
      return followUpOpen(state);
    default:
      return true;
  }
}

export function allowedActions(state: CaseState): CaseAction[] {
  if (!state.exists) return [];
  const candidates = new Set(byStatus(state));
  return CASE_ACTIONS.filter((action) => candidates.has(action) && stillPossible(state, action));
}

export function isBeforeResolution(status: CaseStatus): boolean {
  return BEFORE_RESOLUTION.includes(status);
}
