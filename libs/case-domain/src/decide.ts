/**
 * decide(command, state, context) → events: every rule of the case lifecycle. Pure: the time comes from the
 * injected clock, the SLA terms from the injected policy. Refusals are thrown as domain errors.
 */
import type { CaseActionCommand, CaseCommand, OpenCase, SlaWatchCommand } from './case-commands';
import type { CaseEscalated, CaseEvent, CaseTriaged, EscalationReason } from './case-events';
import type { CaseState } from './case-state';
import { itemsValue, roundMoney } from './case-state';
import type { Actor, EscalationLevel } from './case-vocabulary';
import { levelRank } from './case-vocabulary';
import type { Clock } from './clock';
import { BusinessRuleError, CaseAlreadyExistsError, IllegalTransitionError } from './domain-errors';
import { DEFAULT_REGULATOR_TERMS, mentionsRegulator } from './regulator-mention';
import type { SlaPolicy } from './sla-policy';
import { slaTermsAt } from './sla-policy';
import { slaTimeIn } from './sla-time';
import { allowedActions, isBeforeResolution } from './allowed-actions';
import { readSla } from './sla-status';
import type { FollowUpPolicy } from './follow-up-policy';
import { recordFollowUp, reopenAfterFollowUp, scheduleFollowUp } from './decide-follow-up';

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

/** Triage findings are attributed to this actor. */
export const TRIAGE_ACTOR: Actor = { type: 'system', id: 'triage' };

/** Customer contacts without an agent reply that escalate a case to L1. */
export const UNANSWERED_CONTACTS_LIMIT = 3;

const MONEY_EPSILON = 0.005;

type Emit = <E extends CaseEvent>(type: E['type'], data: E['data'], actor?: Actor) => E;

function emitterAt(now: string, actor: Actor): Emit {
  function emit<E extends CaseEvent>(type: E['type'], data: E['data'], by?: Actor): E;
  function emit(type: CaseEvent['type'], data: CaseEvent['data'], by: Actor = actor) {
    return { type, data, occurredAt: now, actor: by };
  }
  return emit;
}

function autoEscalation(emit: Emit, current: EscalationLevel, level: EscalationLevel, reason: EscalationReason, always = false): CaseEscalated[] {
  if (!always && levelRank(current) >= levelRank(level)) return [];
  return [emit<CaseEscalated>('CaseEscalated', { level, previousLevel: current, reason, automatic: true }, ESCALATION_POLICY_ACTOR)];
}

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

function checkCurrency(state: CaseState, currency: string | undefined): void {
  const expected = state.currency ?? state.resolution?.currency;
  if (currency && expected && currency !== expected) {
    throw new BusinessRuleError('CURRENCY_MISMATCH', `amounts on this case are in ${expected}, not ${currency}`);
  }
}

function checkRefund(state: CaseState, amount: number, currency: string): void {
  checkCurrency(state, currency);
  const worth = itemsValue(state);
  const accepted = state.resolution!;
  if (worth === 0 && accepted.amount === undefined) {
    throw new BusinessRuleError(
      'REFUND_WITHOUT_VALUE_BASIS',
      'the case lists no items and the accepted resolution names no amount, so no refund can be checked against a value',
    );
  }
  if (worth > 0 && state.refundedTotal + amount > worth + MONEY_EPSILON) {
    throw new BusinessRuleError(
      'REFUND_EXCEEDS_ITEMS_VALUE',
      `refunds would total ${roundMoney(state.refundedTotal + amount)}, more than the case's items are worth (${worth})`,
    );
  }
  if (accepted.amount !== undefined && accepted.refunded + amount > accepted.amount + MONEY_EPSILON) {
    throw new BusinessRuleError(
      'REFUND_EXCEEDS_ACCEPTED_AMOUNT',
      `refunds under this resolution would total ${roundMoney(accepted.refunded + amount)}, more than the ${accepted.amount} accepted`,
    );
  }
}

/** What remains to be carried out before an accepted resolution lets the case be resolved; empty when nothing. */
export function unfulfilled(state: CaseState): string | undefined {
  const r = state.resolution;
  if (!r || r.status !== 'ACCEPTED') return 'no accepted resolution';
  switch (r.kind) {
    case 'REFUND':
    case 'PARTIAL_REFUND': {
      const promised = r.amount ?? roundMoney(itemsValue(state) - (state.refundedTotal - r.refunded));
      return r.refunded + MONEY_EPSILON >= promised ? undefined : `refund of ${promised} promised, ${r.refunded} issued`;
    }
    case 'REPLACEMENT':
      return r.replacementShipped ? undefined : 'the replacement has not been shipped';
    case 'REPAIR':
      return r.repairCompleted ? undefined : 'the repair has not been completed';
    case 'COMPENSATION':
      return r.compensated ? undefined : 'no compensation has been granted';
    case 'EXPLANATION':
      return undefined;
  }
}

function decideAction(command: CaseActionCommand, state: CaseState, ctx: DecideContext, emit: Emit, now: string): CaseEvent[] {
  const terms = ctx.regulatorTerms ?? DEFAULT_REGULATOR_TERMS;
  switch (command.type) {
    case 'acknowledge':
      return [emit('CaseAcknowledged', { note: command.payload.note })];
    case 'assign':
      return [emit('CaseAssigned', { agentId: command.payload.agentId, team: command.payload.team })];
    case 'reply':
      return [emit('AgentReplied', { message: command.payload.message })];
    case 'request-info':
      return [emit('InfoRequested', { message: command.payload.message }), emit('SlaClockPaused', { pausedAt: now })];
    case 'customer-message': {
      const events: CaseEvent[] = [emit('CustomerMessageReceived', { message: command.payload.message })];
      if (state.status === 'AWAITING_CUSTOMER' && state.sla.pausedSince) {
        // The resolution due time moves on by the business time the pause took (wall-clock time for 24×7 cases).
        const time = slaTimeIn(state.sla.calendar);
        const pausedMs = Math.max(0, Date.parse(now) - Date.parse(state.sla.pausedSince));
        const pausedBusinessMs = Math.max(0, time.between(state.sla.pausedSince, now));
        const resolutionDueAt = time.add(state.sla.resolutionDueAt, pausedBusinessMs);
        events.push(emit('SlaClockResumed', { resumedAt: now, pausedMs, resolutionDueAt, ...(state.sla.calendar ? { pausedBusinessMs } : {}) }));
      }
      let level = state.escalationLevel;
      if (state.customerContactsSinceReply + 1 >= UNANSWERED_CONTACTS_LIMIT) {
        const raised = autoEscalation(emit, level, 'L1', 'UNANSWERED_CUSTOMER_CONTACTS');
        events.push(...raised);
        if (raised.length) level = 'L1';
      }
      const regulator = ctx.mentionsRegulator ? ctx.mentionsRegulator(command.payload.message) : mentionsRegulator(command.payload.message, terms);
      if (regulator) events.push(...autoEscalation(emit, level, 'L3', 'REGULATOR_MENTION'));
      return events;
    }
    case 'escalate': {
      const { level, reason } = command.payload;
      if (levelRank(level) <= levelRank(state.escalationLevel)) {
        throw new BusinessRuleError('ESCALATION_NOT_HIGHER', `the case is already at ${state.escalationLevel}; an escalation must go higher than that`);
      }
      return [emit('CaseEscalated', { level, previousLevel: state.escalationLevel, reason: 'MANUAL', note: reason, automatic: false })];
    }
    case 'propose-resolution': {
      const { kind, amount, currency, note } = command.payload;
      if (kind === 'PARTIAL_REFUND' && amount === undefined) {
        throw new BusinessRuleError('AMOUNT_REQUIRED', 'a partial refund must name its amount');
      }
      checkCurrency(state, currency);
      const worth = itemsValue(state);
      if ((kind === 'REFUND' || kind === 'PARTIAL_REFUND') && amount !== undefined && worth > 0) {
        if (state.refundedTotal + amount > worth + MONEY_EPSILON) {
          throw new BusinessRuleError('REFUND_EXCEEDS_ITEMS_VALUE', `a refund of ${amount} is more than the items' remaining worth`);
        }
      }
      return [emit('ResolutionProposed', { kind, amount, currency: currency ?? state.currency, note })];
    }
    case 'accept-resolution':
      return [emit('ResolutionAccepted', { kind: state.resolution!.kind, note: command.payload.note })];
    case 'reject-resolution':
      return [emit('ResolutionRejected', { kind: state.resolution!.kind, note: command.payload.note })];
    case 'authorize-return': {
      const rmaNumber = command.payload.rmaNumber ?? `RMA-${state.caseId.slice(0, 8).toUpperCase()}-${state.revision + 1}`;
      if (command.payload.returnBy && Date.parse(command.payload.returnBy) < Date.parse(now)) {
        throw new BusinessRuleError('RETURN_BY_IN_PAST', 'returnBy must not lie in the past');
      }
      return [emit('ReturnAuthorized', { rmaNumber, returnBy: command.payload.returnBy })];
    }
    case 'return-shipped':
      return [emit('ReturnShipped', { rmaNumber: state.returnFlow!.rmaNumber, ...command.payload })];
    case 'return-received': {
      const rmaNumber = state.returnFlow!.rmaNumber;
      return [emit('ReturnReceived', { rmaNumber, receivedAt: now }), emit('ReturnInspected', { rmaNumber, condition: command.payload.condition })];
    }
    case 'issue-refund': {
      const { amount, currency } = command.payload;
      checkRefund(state, amount, currency);
      return [emit('RefundIssued', { amount, currency, refundedTotal: roundMoney(state.refundedTotal + amount) })];
    }
    case 'ship-replacement':
      return [emit('ReplacementShipped', { ...command.payload })];
    case 'complete-repair':
      return [emit('RepairCompleted', { note: command.payload.note })];
    case 'grant-compensation': {
      const { points, couponAmount, currency } = command.payload;
      if (!points && !couponAmount) {
        throw new BusinessRuleError('COMPENSATION_EMPTY', 'a compensation grants points, a coupon amount, or both');
      }
      if (couponAmount && !currency) throw new BusinessRuleError('CURRENCY_REQUIRED', 'a coupon amount needs a currency');
      checkCurrency(state, currency);
      return [emit('CompensationGranted', { points, couponAmount, currency })];
    }
    case 'resolve': {
      const missing = unfulfilled(state);
      if (missing) throw new BusinessRuleError('RESOLUTION_NOT_FULFILLED', `the accepted resolution is not carried out: ${missing}`);
      return [emit('CaseResolved', { summary: command.payload.summary, resolutionKind: state.resolution!.kind })];
    }
    case 'reject':
      return [emit('CaseRejected', { ...command.payload })];
    case 'reopen':
      return [
        emit('CaseReopened', {
          reason: command.payload.reason,
          resolutionDueAt: slaTimeIn(state.sla.calendar).add(now, state.sla.resolutionTargetMinutes * 60_000),
        }),
      ];
    case 'record-satisfaction': {
      const recorded = emit('SatisfactionRecorded', { ...command.payload });
      const low = command.payload.score <= 2;
      return [recorded, ...(low ? autoEscalation(emit, state.escalationLevel, 'L1', 'LOW_SATISFACTION', true) : [])];
    }
    case 'close':
      return [
        emit('CaseClosed', {
          note: command.payload.note,
          reasonCode: command.payload.reasonCode ?? (state.status === 'REJECTED' ? 'REJECTED' : 'RESOLVED'),
        }),
        scheduleFollowUp(state, ctx.followUpPolicy, now),
      ];
    case 'withdraw':
      return [emit('CaseWithdrawn', { reason: command.payload.reason })];
    case 'record-follow-up':
      return [recordFollowUp(command, state, now)];
  }
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
