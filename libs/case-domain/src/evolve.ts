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
  const evolver = EVOLVERS[event.type] as Evolver<CaseEventType> | undefined;
  // A type this release does not know moves only the revision (readers filter unknown types before folding).
  return evolver ? evolver(s, event as never) : s;
}

export function foldCase(caseId: string, events: readonly CaseEvent[]): CaseState {
  return events.reduce(evolve, initialCaseState(caseId));
}
