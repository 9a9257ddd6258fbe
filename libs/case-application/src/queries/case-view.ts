/** The case as an agent, analyst or auditor reads it: state, SLA clocks read at a moment, triage, next actions. */
import type { CaseState, SlaReading } from '@aftersales/case-domain';
import { allowedActions, readSla } from '@aftersales/case-domain';
import { calendarRef } from '../case-answer';

export interface CaseView {
  caseId: string;
  revision: number;
  status: CaseState['status'];
  type: CaseState['caseType'];
  orderId: string;
  customerId: string;
  merchantId: string;
  channel: CaseState['channel'];
  priority: CaseState['priority'];
  customerTier: CaseState['customerTier'];
  tierSource?: CaseState['tierSource'];
  reason: string;
  description: string;
  items: CaseState['items'];
  currency?: string;
  requestedResolution?: string;
  contact?: CaseState['contact'];
  openedAt: string;
  acknowledgedAt?: string;
  resolvedAt?: string;
  closedAt?: string;
  updatedAt: string;
  assignee?: CaseState['assignee'];
  escalation: { level: CaseState['escalationLevel']; history: CaseState['escalations'] };
  sla: SlaReading & {
    policyId: string;
    policyVersion: number;
    pausedMsTotal: number;
    readAt: string;
    calendar?: { id: string; version: number; timeZone: string };
  };
  resolution?: CaseState['resolution'];
  return?: CaseState['returnFlow'];
  refunds: CaseState['refunds'];
  refundedTotal: number;
  replacement?: CaseState['replacementShipped'];
  repairCompletedAt?: string;
  compensations: CaseState['compensations'];
  satisfaction?: CaseState['satisfaction'];
  rejection?: CaseState['rejection'];
  withdrawal?: CaseState['withdrawal'];
  reopenCount: number;
  /** What triage found in the text at opening (sentiment, suggested type and priority, regulator mention, repeat complaint). */
  triage?: CaseState['triage'];
  /** Follow-up visits after closure (回访), oldest first: due time, and the outcome once recorded. */
  followUps?: CaseState['followUps'];
  allowedActions: string[];
  /** Set when the view is the case as it was at that time. */
  asOf?: string;
}

export function toCaseView(state: CaseState, readAt: Date, warningRatio: number, asOf?: string): CaseView {
  return {
    caseId: state.caseId,
    revision: state.revision,
    status: state.status,
    type: state.caseType,
    orderId: state.orderId,
    customerId: state.customerId,
    merchantId: state.merchantId,
    channel: state.channel,
    priority: state.priority,
    customerTier: state.customerTier,
    tierSource: state.tierSource,
    reason: state.reason,
    description: state.description,
    items: state.items,
    currency: state.currency,
    requestedResolution: state.requestedResolution,
    contact: state.contact,
    openedAt: state.openedAt,
    acknowledgedAt: state.acknowledgedAt,
    resolvedAt: state.resolvedAt,
    closedAt: state.closedAt,
    updatedAt: state.updatedAt,
    assignee: state.assignee,
    escalation: { level: state.escalationLevel, history: state.escalations },
    sla: {
      policyId: state.sla.policyId,
      policyVersion: state.sla.policyVersion,
      pausedMsTotal: state.sla.pausedMsTotal,
      readAt: readAt.toISOString(),
      ...calendarRef(state),
      ...readSla(state, readAt, warningRatio),
    },
    resolution: state.resolution,
    return: state.returnFlow,
    refunds: state.refunds,
    refundedTotal: state.refundedTotal,
    replacement: state.replacementShipped,
    repairCompletedAt: state.repairCompletedAt,
    compensations: state.compensations,
    satisfaction: state.satisfaction,
    rejection: state.rejection,
    withdrawal: state.withdrawal,
    reopenCount: state.reopenCount,
    triage: state.triage,
    followUps: state.followUps,
    allowedActions: allowedActions(state),
    ...(asOf ? { asOf } : {}),
  };
}
