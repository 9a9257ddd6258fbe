/**
 * The shape of decide's dispatch table for the actions on an existing case: one small decider per command type,
 * each given the command it handles, plus what the deciders share (the context, the event emitter, automatic escalation).
 */
import type { CaseActionCommand } from './case-commands';
import type { CaseEscalated, CaseEvent, EscalationReason } from './case-events';
import type { CaseState } from './case-state';
import type { Actor, EscalationLevel } from './case-vocabulary';
import { levelRank } from './case-vocabulary';
import type { Clock } from './clock';
import type { FollowUpPolicy } from './follow-up-policy';
import type { SlaPolicy } from './sla-policy';

export interface DecideContext {
  clock: Clock;
  slaPolicy: SlaPolicy;
  regulatorTerms?: readonly string[];
  /** The deployment's configured regulator matcher (triage's terms, override file, jurisdiction profiles); wins over `regulatorTerms`. */
  mentionsRegulator?: (text: string) => boolean;
  /** Days until a closure's follow-up falls due; the default policy (3 days) when absent. */
  followUpPolicy?: FollowUpPolicy;
}

/** Automatic decisions are attributed to this actor. */
export const ESCALATION_POLICY_ACTOR: Actor = { type: 'system', id: 'escalation-policy' };

export type Emit = <E extends CaseEvent>(type: E['type'], data: E['data'], actor?: Actor) => E;

export function emitterAt(now: string, actor: Actor): Emit {
  function emit<E extends CaseEvent>(type: E['type'], data: E['data'], by?: Actor): E;
  function emit(type: CaseEvent['type'], data: CaseEvent['data'], by: Actor = actor) {
    return { type, data, occurredAt: now, actor: by };
  }
  return emit;
}

export function autoEscalation(emit: Emit, current: EscalationLevel, level: EscalationLevel, reason: EscalationReason, always = false): CaseEscalated[] {
  if (!always && levelRank(current) >= levelRank(level)) return [];
  return [emit<CaseEscalated>('CaseEscalated', { level, previousLevel: current, reason, automatic: true }, ESCALATION_POLICY_ACTOR)];
}

export type CaseActionType = CaseActionCommand['type'];

/** Decides the events of one action of type `T` on an existing case the action is allowed on; refusals are thrown. */
export type Decider<T extends CaseActionType> = (
  command: Extract<CaseActionCommand, { type: T }>,
  state: CaseState,
  ctx: DecideContext,
  emit: Emit,
  now: string,
) => CaseEvent[];

export type DeciderTable<T extends CaseActionType> = { [K in T]: Decider<K> };
