/** evolve for opening and working a case: the conversation, assignment, SLA clocks, escalations, triage. */
import type { CaseStatus, EscalationLevel } from './case-vocabulary';
import { levelRank } from './case-vocabulary';
import type { CaseState } from './case-state';
import type { EvolverTable } from './evolve-table';
import { responded } from './evolve-table';

type WorkEvent =
  | 'CaseOpened'
  | 'CaseAcknowledged'
  | 'CaseAssigned'
  | 'AgentReplied'
  | 'InfoRequested'
  | 'CustomerMessageReceived'
  | 'SlaClockPaused'
  | 'SlaClockResumed'
  | 'CaseEscalated'
  | 'SlaWarningIssued'
  | 'SlaBreached'
  | 'CaseTriaged';

const WORKING_AGAIN: CaseStatus[] = ['ACKNOWLEDGED', 'REOPENED'];

function intoProgress(status: CaseStatus): CaseStatus {
  return WORKING_AGAIN.includes(status) ? 'IN_PROGRESS' : status;
}

function higher(a: EscalationLevel, b: EscalationLevel): EscalationLevel {
  return levelRank(a) >= levelRank(b) ? a : b;
}

function agentSpoke(s: CaseState, at: string, status: CaseStatus): CaseState {
  return { ...s, status, sla: responded(s, at), customerContactsSinceReply: 0, messages: { ...s.messages, agent: s.messages.agent + 1 } };
}

export const WORK_EVOLVERS: EvolverTable<WorkEvent> = {
  CaseOpened: (s, { data: d, occurredAt }) => ({
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
    // Total on malformed data too: a CaseOpened without its tier folds (readers refuse it by their own checks).
    customerTier: d.tier?.level,
    tierSource: d.tier?.source,
    reason: d.reason,
    description: d.description,
    items: d.items,
    currency: d.currency,
    requestedResolution: d.requestedResolution,
    contact: d.contact,
    openedAt: occurredAt,
    sla: { ...d.sla, pausedMsTotal: 0, warnings: [], breaches: [] },
    customerContactsSinceReply: 1,
  }),
  CaseAcknowledged: (s, e) => ({ ...s, status: 'ACKNOWLEDGED', acknowledgedAt: e.occurredAt, sla: responded(s, e.occurredAt) }),
  CaseAssigned: (s, e) => ({ ...s, status: intoProgress(s.status), assignee: { agentId: e.data.agentId, team: e.data.team } }),
  AgentReplied: (s, e) => agentSpoke(s, e.occurredAt, intoProgress(s.status)),
  InfoRequested: (s, e) => agentSpoke(s, e.occurredAt, 'AWAITING_CUSTOMER'),
  CustomerMessageReceived: (s) => ({
    ...s,
    status: s.status === 'AWAITING_CUSTOMER' ? 'IN_PROGRESS' : s.status,
    customerContactsSinceReply: s.customerContactsSinceReply + 1,
    messages: { ...s.messages, customer: s.messages.customer + 1 },
  }),
  SlaClockPaused: (s, e) => ({ ...s, sla: { ...s.sla, pausedSince: e.data.pausedAt } }),
  SlaClockResumed: (s, { data }) => ({
    ...s,
    sla: {
      ...s.sla,
      pausedSince: undefined,
      pausedMsTotal: s.sla.pausedMsTotal + data.pausedMs,
      pausedBusinessMsTotal: (s.sla.pausedBusinessMsTotal ?? s.sla.pausedMsTotal) + (data.pausedBusinessMs ?? data.pausedMs),
      resolutionDueAt: data.resolutionDueAt,
    },
  }),
  CaseEscalated: (s, { data, occurredAt, actor }) => ({
    ...s,
    escalationLevel: higher(s.escalationLevel, data.level),
    escalations: [...s.escalations, { level: data.level, reason: data.reason, at: occurredAt, automatic: data.automatic, actor }],
  }),
  SlaWarningIssued: (s, e) => ({ ...s, sla: { ...s.sla, warnings: [...s.sla.warnings, e.data.clock] } }),
  SlaBreached: (s, e) => ({ ...s, sla: { ...s.sla, breaches: [...s.sla.breaches, e.data.clock] } }),
  CaseTriaged: (s, e) => ({ ...s, triage: e.data }),
};
