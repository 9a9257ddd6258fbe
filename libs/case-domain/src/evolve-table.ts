/** The shape of evolve's dispatch table: one small function per event type, each given the event it handles. */
import type { CaseEvent, CaseEventType } from './case-events';
import type { CaseState } from './case-state';

/** Folds one event of type `T` into `s`, which already carries the new revision and `updatedAt`. */
export type Evolver<T extends CaseEventType> = (s: CaseState, event: Extract<CaseEvent, { type: T }>) => CaseState;

export type EvolverTable<T extends CaseEventType> = { [K in T]: Evolver<K> };

export function responded(state: CaseState, at: string): CaseState['sla'] {
  return state.sla.firstRespondedAt ? state.sla : { ...state.sla, firstRespondedAt: at };
}
