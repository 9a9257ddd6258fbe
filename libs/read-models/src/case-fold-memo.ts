/**
 * Folding a case event (the domain's `evolve`, with the checks that make an unfoldable event a poison event), and
 * remembering each fold for the other tables that fold the same event object: the escalation, satisfaction and
 * loyalty tables each keep the same case state, and during a replay one reader hands them the same events
 * (catchUpTogether), so each event is folded once instead of once per table. A remembered fold is used only
 * from the very same starting point — the same state object, the same stored JSON, or no row at all — so the
 * answer is always what this table's own fold would give; the fold is pure and states are never changed in place.
 */
import type { CaseEvent, CaseState } from '@aftersales/case-domain';
import { evolve, initialCaseState, isCaseEventType } from '@aftersales/case-domain';
import type { ProjectedEvent } from './projected-event';
import { PoisonEventError } from './poison-event';

export function toCaseEvent(event: ProjectedEvent): CaseEvent {
  return { type: event.type, data: event.data, occurredAt: event.occurredAt, actor: event.actor } as CaseEvent;
}

/** Folds one event; throws PoisonEventError on an event whose data cannot be folded (it is then dead-lettered). */
export function foldEvent(state: CaseState, event: ProjectedEvent): CaseState {
  if (!isCaseEventType(event.type)) return state;
  const poison = (reason: string) => new PoisonEventError(event.eventId, reason);
  if (event.type !== 'CaseOpened' && !state.exists) throw poison(`${event.type} for case ${state.caseId} before CaseOpened`);
  if (!event.data || typeof event.data !== 'object') throw poison(`${event.type} has no data`);
  let next: CaseState;
  try {
    next = evolve(state, toCaseEvent(event));
  } catch (error) {
    throw poison(`${event.type} cannot be folded: ${(error as Error).message}`);
  }
  if (event.type === 'CaseOpened' && (!next.sla?.resolutionDueAt || !next.customerId)) {
    throw poison('CaseOpened lacks its SLA terms or customer');
  }
  return next;
}

/** What an event is folded onto: a state of this fold, a stored row's state as its JSON text, or no row yet. */
export type FoldedFrom = CaseState | string | undefined;

const folds = new WeakMap<ProjectedEvent, { from: FoldedFrom; to: CaseState }>();
const json = new WeakMap<CaseState, string>();

/** `foldEvent` from `from`, or the state another table's fold of this same event from the same point gave. */
export function foldOnce(from: FoldedFrom, caseId: string, event: ProjectedEvent): CaseState {
  const known = folds.get(event);
  if (known !== undefined && known.from === from) return known.to;
  const start = from === undefined ? initialCaseState(caseId) : typeof from === 'string' ? (JSON.parse(from) as CaseState) : from;
  const to = foldEvent(start, event);
  folds.set(event, { from, to });
  return to;
}

/** The state's JSON, made once however many tables write it. */
export function stateJson(state: CaseState): string {
  let text = json.get(state);
  if (text === undefined) {
    text = JSON.stringify(state);
    json.set(state, text);
  }
  return text;
}

/** A derived column's value for a JSON row: absent is NULL; a number JSON cannot hold (NaN, ±Infinity) goes as the text SQL reads. */
export function sqlScalar(value: unknown): unknown {
  if (value === undefined || value === null) return null;
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  return value;
}
