/**
 * evolve(state, event) → state: folds one event into the case. Pure, total, never refuses. One small function
 * per event type, grouped by family (evolve-work, evolve-resolution, evolve-outcome), dispatched by type.
 */
import type { CaseEvent, CaseEventType } from './case-events';
import type { CaseState } from './case-state';
import { initialCaseState } from './case-state';
import type { Evolver, EvolverTable } from './evolve-table';
import { OUTCOME_EVOLVERS } from './evolve-outcome';
import { RESOLUTION_EVOLVERS } from './evolve-resolution';
import { WORK_EVOLVERS } from './evolve-work';

const EVOLVERS: EvolverTable<CaseEventType> = { ...WORK_EVOLVERS, ...RESOLUTION_EVOLVERS, ...OUTCOME_EVOLVERS };

export function evolve(state: CaseState, event: CaseEvent): CaseState {
  const s: CaseState = { ...state, revision: state.revision + 1, updatedAt: event.occurredAt };
  // A type this release does not know moves only the revision (readers filter unknown types before folding).
  return event.type in EVOLVERS ? apply(s, event) : s;
}

/** Runs the table's function for the event's own type (one type parameter ties the key to the event). */
function apply<T extends CaseEventType>(s: CaseState, event: Extract<CaseEvent, { type: T }>): CaseState {
  const evolver: Evolver<T> = EVOLVERS[event.type];
  return evolver(s, event);
}

export function foldCase(caseId: string, events: readonly CaseEvent[]): CaseState {
  return events.reduce(evolve, initialCaseState(caseId));
}
