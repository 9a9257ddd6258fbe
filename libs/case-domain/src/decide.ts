/**
 * decide(command, state, context) → events: every rule of the case lifecycle. Pure: the time comes from the
 * injected clock, the SLA terms from the injected policy. Refusals are thrown as domain errors. The actions on an
 * existing case have one small decider each, grouped by family (decide-work, decide-resolution, decide-outcome).
 */
import type { CaseActionCommand, CaseCommand, OpenCase, SlaWatchCommand } from './case-commands';
import type { CaseEvent, CaseTriaged, EscalationReason } from './case-events';
import type { CaseState } from './case-state';
import type { Actor, EscalationLevel } from './case-vocabulary';
import { CaseAlreadyExistsError, IllegalTransitionError } from './domain-errors';
import { DEFAULT_REGULATOR_TERMS, mentionsRegulator } from './regulator-mention';
import { slaTermsAt } from './sla-policy';
import { allowedActions, isBeforeResolution } from './allowed-actions';
import { readSla } from './sla-status';
import { reopenAfterFollowUp } from './decide-follow-up';
import type { CaseActionType, DecideContext, Decider, DeciderTable, Emit } from './decide-table';
import { autoEscalation, emitterAt } from './decide-table';
import { WORK_DECIDERS } from './decide-work';
import { RESOLUTION_DECIDERS } from './decide-resolution';
import { OUTCOME_DECIDERS } from './decide-outcome';

export type { DecideContext } from './decide-table';
export { ESCALATION_POLICY_ACTOR } from './decide-table';
export { UNANSWERED_CONTACTS_LIMIT } from './decide-work';
export { unfulfilled } from './decide-resolution';

/** Triage findings are attributed to this actor. */
export const TRIAGE_ACTOR: Actor = { type: 'system', id: 'triage' };

/** One decider per action; the compiler checks every action type has one. */
const DECIDERS: DeciderTable<CaseActionType> = { ...WORK_DECIDERS, ...RESOLUTION_DECIDERS, ...OUTCOME_DECIDERS };

function decideOpen(command: OpenCase, state: CaseState, ctx: DecideContext, emit: Emit, now: string): CaseEvent[] {
  if (state.exists) throw new CaseAlreadyExistsError(command.caseId);
  const p = command.payload;
  const priority = p.priority ?? 'NORMAL';
  // The tier the loyalty view knows wins over the one in the request; STANDARD when neither names one.
  const { calendar, loyaltyTier } = command.lookups ?? {};
  const customerTier = loyaltyTier ?? p.customerTier ?? 'STANDARD';
  const tierSource = loyaltyTier ? 'loyalty' : p.customerTier ? 'given' : 'default';
  const opened = emit('CaseOpened', {
    caseId: command.caseId,
    orderId: p.orderId,
    customerId: p.customerId,
    merchantId: p.merchantId,
    caseType: p.type,
    channel: p.channel,
    priority,
    tier: { level: customerTier, source: tierSource },
    reason: p.reason,
    description: p.description,
    items: p.items ?? [],
    currency: p.currency,
    requestedResolution: p.requestedResolution,
    contact: p.contact,
    sla: slaTermsAt(ctx.slaPolicy, priority, customerTier, now, calendar),
  });
  // Triage, when the application ran it, is recorded right after the opening and its regulator mention decides L3.
  const triaged = command.triage ? [emit<CaseTriaged>('CaseTriaged', command.triage, TRIAGE_ACTOR)] : [];
  const regulator = command.triage
    ? command.triage.regulatorMention.mentioned
    : mentionsRegulator(`${p.reason}\n${p.description}`, ctx.regulatorTerms ?? DEFAULT_REGULATOR_TERMS);
  return [opened, ...triaged, ...(regulator ? autoEscalation(emit, 'L0', 'L3', 'REGULATOR_MENTION') : [])];
}

/** Runs the table's decider for the command's own type (one type parameter ties the key to the command). */
function decideAction<T extends CaseActionType>(
  command: Extract<CaseActionCommand, { type: T }>,
  state: CaseState,
  ctx: DecideContext,
  emit: Emit,
  now: string,
): CaseEvent[] {
  const decider: Decider<T> = DECIDERS[command.type];
  return decider(command, state, ctx, emit, now);
}

/**
 * The SLA watch's observations: a warning once a clock is at risk, a breach once it is overdue, each recorded
 * once; a breach escalates (first response → L1, resolution → L2) unless the case is already that high.
 * Anything else (clock met, paused, not yet due, case ended, already recorded) decides nothing.
 */
function decideSlaWatch(command: SlaWatchCommand, state: CaseState, ctx: DecideContext, emit: Emit): CaseEvent[] {
  if (!state.exists || !isBeforeResolution(state.status)) return [];
  const clock = command.payload.clock;
  const reading = readSla(state, ctx.clock.now(), ctx.slaPolicy.warningRatio);
  const r = clock === 'FIRST_RESPONSE' ? reading.firstResponse : reading.resolution;
  if (r.metAt || (clock === 'RESOLUTION' && reading.paused) || state.sla.breaches.includes(clock)) return [];
  if (command.type === 'record-sla-warning') {
    return r.atRisk && !state.sla.warnings.includes(clock) ? [emit('SlaWarningIssued', { clock, dueAt: r.dueAt })] : [];
  }
  if (!r.breached) return [];
  const level: EscalationLevel = clock === 'FIRST_RESPONSE' ? 'L1' : 'L2';
  const reason: EscalationReason = clock === 'FIRST_RESPONSE' ? 'FIRST_RESPONSE_BREACH' : 'RESOLUTION_BREACH';
  return [emit('SlaBreached', { clock, dueAt: r.dueAt }), ...autoEscalation(emit, state.escalationLevel, level, reason)];
}

export function decide(command: CaseCommand, state: CaseState, ctx: DecideContext): CaseEvent[] {
  const now = ctx.clock.now().toISOString();
  const emit = emitterAt(now, command.actor);
  if (command.type === 'open') return decideOpen(command, state, ctx, emit, now);
  if (command.type === 'record-sla-warning' || command.type === 'record-sla-breach') return decideSlaWatch(command, state, ctx, emit);
  if (command.type === 'reopen-after-follow-up') return reopenAfterFollowUp(command, state, now);
  const allowed = allowedActions(state);
  if (!allowed.includes(command.type)) throw new IllegalTransitionError(state.status, command.type, allowed);
  return decideAction(command, state, ctx, emit, now);
}
