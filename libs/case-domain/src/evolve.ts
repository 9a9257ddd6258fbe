/** evolve(state, event) → state: folds one event into the case. Pure, total, never refuses. */
import type { CaseEvent } from './case-events';
import type { CaseState, ResolutionState } from './case-state';
import { initialCaseState, roundMoney } from './case-state';
import type { CaseStatus, EscalationLevel } from './case-vocabulary';
import { levelRank } from './case-vocabulary';

const WORKING_AGAIN: CaseStatus[] = ['ACKNOWLEDGED', 'REOPENED'];

function intoProgress(status: CaseStatus): CaseStatus {
  return WORKING_AGAIN.includes(status) ? 'IN_PROGRESS' : status;
}

function higher(a: EscalationLevel, b: EscalationLevel): EscalationLevel {
  return levelRank(a) >= levelRank(b) ? a : b;
}

function withResolution(state: CaseState, change: Partial<ResolutionState>): ResolutionState | undefined {
  if (!state.resolution || state.resolution.status !== 'ACCEPTED') return state.resolution;
  return { ...state.resolution, ...change };
}

function responded(state: CaseState, at: string): CaseState['sla'] {
  return state.sla.firstRespondedAt ? state.sla : { ...state.sla, firstRespondedAt: at };
}

export function evolve(state: CaseState, event: CaseEvent): CaseState {
  const at = event.occurredAt;
  const s: CaseState = { ...state, revision: state.revision + 1, updatedAt: at };
  switch (event.type) {
    case 'CaseOpened': {
      const d = event.data;
      return {
        ...s,
        exists: true,
        caseId: d.caseId,
        status: 'OPEN',
        orderId: d.orderId,
        customerId: d.customerId,
        merchantId: d.merchantId,
        caseType: d.caseType,
        channel: d.channel,
        priority: d.priority,
        customerTier: d.customerTier,
        tierSource: d.tierSource,
        reason: d.reason,
        description: d.description,
        items: d.items,
        currency: d.currency,
        requestedResolution: d.requestedResolution,
        contact: d.contact,
        openedAt: at,
        sla: { ...d.sla, pausedMsTotal: 0, warnings: [], breaches: [] },
        customerContactsSinceReply: 1,
      };
    }
    case 'CaseAcknowledged':
      return { ...s, status: 'ACKNOWLEDGED', acknowledgedAt: at, sla: responded(s, at) };
    case 'CaseAssigned':
      return { ...s, status: intoProgress(s.status), assignee: { agentId: event.data.agentId, team: event.data.team } };
    case 'AgentReplied':
      return {
        ...s,
        status: intoProgress(s.status),
        sla: responded(s, at),
        customerContactsSinceReply: 0,
        messages: { ...s.messages, agent: s.messages.agent + 1 },
      };
    case 'InfoRequested':
      return {
        ...s,
        status: 'AWAITING_CUSTOMER',
        sla: responded(s, at),
        customerContactsSinceReply: 0,
        messages: { ...s.messages, agent: s.messages.agent + 1 },
      };
    case 'CustomerMessageReceived':
      return {
        ...s,
        status: s.status === 'AWAITING_CUSTOMER' ? 'IN_PROGRESS' : s.status,
        customerContactsSinceReply: s.customerContactsSinceReply + 1,
        messages: { ...s.messages, customer: s.messages.customer + 1 },
      };
    case 'SlaClockPaused':
      return { ...s, sla: { ...s.sla, pausedSince: event.data.pausedAt } };
    case 'SlaClockResumed':
      return {
        ...s,
        sla: {
          ...s.sla,
          pausedSince: undefined,
          pausedMsTotal: s.sla.pausedMsTotal + event.data.pausedMs,
          pausedBusinessMsTotal: (s.sla.pausedBusinessMsTotal ?? s.sla.pausedMsTotal) + (event.data.pausedBusinessMs ?? event.data.pausedMs),
          resolutionDueAt: event.data.resolutionDueAt,
        },
      };
    case 'CaseEscalated':
      return {
        ...s,
        escalationLevel: higher(s.escalationLevel, event.data.level),
        escalations: [
          ...s.escalations,
          { level: event.data.level, reason: event.data.reason, at, automatic: event.data.automatic, actor: event.actor },
        ],
      };
    case 'ResolutionProposed':
      return {
        ...s,
        status: 'RESOLUTION_PROPOSED',
        sla: responded(s, at),
        resolution: {
          kind: event.data.kind,
          amount: event.data.amount,
          currency: event.data.currency,
          note: event.data.note,
          status: 'PROPOSED',
          proposedAt: at,
          refunded: 0,
          replacementShipped: false,
          repairCompleted: false,
          compensated: false,
        },
      };
    case 'ResolutionAccepted':
      return { ...s, status: 'IN_PROGRESS', resolution: s.resolution && { ...s.resolution, status: 'ACCEPTED', decidedAt: at } };
    case 'ResolutionRejected':
      return { ...s, status: 'IN_PROGRESS', resolution: s.resolution && { ...s.resolution, status: 'REJECTED', decidedAt: at } };
    case 'ReturnAuthorized':
      return {
        ...s,
        returnFlow: { rmaNumber: event.data.rmaNumber, returnBy: event.data.returnBy, status: 'AUTHORIZED', authorizedAt: at },
      };
    case 'ReturnShipped':
      return s.returnFlow
        ? {
            ...s,
            returnFlow: { ...s.returnFlow, status: 'SHIPPED', carrier: event.data.carrier, trackingNumber: event.data.trackingNumber },
          }
        : s;
    case 'ReturnReceived':
      return s.returnFlow ? { ...s, returnFlow: { ...s.returnFlow, status: 'RECEIVED', receivedAt: event.data.receivedAt } } : s;
    case 'ReturnInspected':
      return s.returnFlow ? { ...s, returnFlow: { ...s.returnFlow, status: 'INSPECTED', condition: event.data.condition } } : s;
    case 'RefundIssued':
      return {
        ...s,
        currency: s.currency ?? event.data.currency,
        refundedTotal: event.data.refundedTotal,
        refunds: [...s.refunds, { amount: event.data.amount, currency: event.data.currency, at }],
        resolution: withResolution(s, { refunded: roundMoney((s.resolution?.refunded ?? 0) + event.data.amount) }),
      };
    case 'ReplacementShipped':
      return {
        ...s,
        replacementShipped: { carrier: event.data.carrier, trackingNumber: event.data.trackingNumber, at },
        resolution: withResolution(s, { replacementShipped: true }),
      };
    case 'RepairCompleted':
      return { ...s, repairCompletedAt: at, resolution: withResolution(s, { repairCompleted: true }) };
    case 'CompensationGranted':
      return {
        ...s,
        compensations: [...s.compensations, { ...event.data, at }],
        resolution: withResolution(s, { compensated: true }),
      };
    case 'CaseResolved':
      return { ...s, status: 'RESOLVED', resolvedAt: at, sla: { ...s.sla, stoppedAt: at } };
    case 'CaseRejected':
      return {
        ...s,
        status: 'REJECTED',
        rejection: { ...event.data, at },
        sla: { ...responded(s, at), stoppedAt: at },
      };
    case 'CaseReopened':
      return {
        ...s,
        status: 'REOPENED',
        reopenCount: s.reopenCount + 1,
        resolution: undefined,
        resolvedAt: undefined,
        rejection: undefined,
        sla: {
          ...s.sla,
          stoppedAt: undefined,
          resolutionDueAt: event.data.resolutionDueAt,
          warnings: s.sla.warnings.filter((c) => c !== 'RESOLUTION'),
          breaches: s.sla.breaches.filter((c) => c !== 'RESOLUTION'),
        },
      };
    case 'SatisfactionRecorded':
      return { ...s, satisfaction: { ...event.data, at } };
    case 'CaseClosed':
      return { ...s, status: 'CLOSED', closedAt: at };
    case 'SlaWarningIssued':
      return { ...s, sla: { ...s.sla, warnings: [...s.sla.warnings, event.data.clock] } };
    case 'SlaBreached':
      return { ...s, sla: { ...s.sla, breaches: [...s.sla.breaches, event.data.clock] } };
    case 'CaseTriaged':
      return { ...s, triage: event.data };
    case 'CaseWithdrawn':
      return { ...s, status: 'WITHDRAWN', withdrawal: { reason: event.data.reason, at }, sla: { ...s.sla, stoppedAt: at } };
  }
}

export function foldCase(caseId: string, events: readonly CaseEvent[]): CaseState {
  return events.reduce(evolve, initialCaseState(caseId));
}
