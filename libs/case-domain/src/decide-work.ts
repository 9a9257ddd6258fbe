/** decide for the work on a case: acknowledgement, assignment, replies, requests for information, customer messages, escalation. */
import type { CaseEvent } from './case-events';
import { levelRank } from './case-vocabulary';
import { BusinessRuleError } from './domain-errors';
import type { DeciderTable } from './decide-table';
import { autoEscalation } from './decide-table';
import { DEFAULT_REGULATOR_TERMS, mentionsRegulator } from './regulator-mention';
import { slaTimeIn } from './sla-time';

/** Customer contacts without an agent reply that escalate a case to L1. */
export const UNANSWERED_CONTACTS_LIMIT = 3;

type WorkAction = 'acknowledge' | 'assign' | 'reply' | 'request-info' | 'customer-message' | 'escalate';

export const WORK_DECIDERS: DeciderTable<WorkAction> = {
  acknowledge: (command, _state, _ctx, emit) => [emit('CaseAcknowledged', { note: command.payload.note })],
  assign: (command, _state, _ctx, emit) => [emit('CaseAssigned', { agentId: command.payload.agentId, team: command.payload.team })],
  reply: (command, _state, _ctx, emit) => [emit('AgentReplied', { message: command.payload.message })],
  'request-info': (command, _state, _ctx, emit, now) => [
    emit('InfoRequested', { message: command.payload.message }),
    emit('SlaClockPaused', { pausedAt: now }),
  ],
  'customer-message': (command, state, ctx, emit, now) => {
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
    const terms = ctx.regulatorTerms ?? DEFAULT_REGULATOR_TERMS;
    const regulator = ctx.mentionsRegulator ? ctx.mentionsRegulator(command.payload.message) : mentionsRegulator(command.payload.message, terms);
    if (regulator) events.push(...autoEscalation(emit, level, 'L3', 'REGULATOR_MENTION'));
    return events;
  },
  escalate: (command, state, _ctx, emit) => {
    const { level, reason } = command.payload;
    if (levelRank(level) <= levelRank(state.escalationLevel)) {
      throw new BusinessRuleError('ESCALATION_NOT_HIGHER', `the case is already at ${state.escalationLevel}; an escalation must go higher than that`);
    }
    return [emit('CaseEscalated', { level, previousLevel: state.escalationLevel, reason: 'MANUAL', note: reason, automatic: false })];
  },
};
