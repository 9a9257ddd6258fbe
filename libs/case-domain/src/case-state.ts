/** The case as its events make it: the only input `decide` needs besides the command. */
import type {
  Actor,
  CaseItem,
  CaseStatus,
  CaseType,
  Channel,
  ContactDetails,
  CustomerTier,
  EscalationLevel,
  FollowUpOutcome,
  Priority,
  ResolutionKind,
  ReturnCondition,
  TierSource,
} from './case-vocabulary';
import type { CaseTriage, EscalationReason, SlaTerms } from './case-events';

export interface ResolutionState {
  kind: ResolutionKind;
  amount?: number;
  currency?: string;
  note?: string;
  status: 'PROPOSED' | 'ACCEPTED' | 'REJECTED';
  proposedAt: string;
  decidedAt?: string;
  /** What has been carried out of this resolution since it was accepted. */
  refunded: number;
  replacementShipped: boolean;
  repairCompleted: boolean;
  compensated: boolean;
}

export interface ReturnState {
  rmaNumber: string;
  returnBy?: string;
  status: 'AUTHORIZED' | 'SHIPPED' | 'RECEIVED' | 'INSPECTED';
  authorizedAt: string;
  carrier?: string;
  trackingNumber?: string;
  receivedAt?: string;
  condition?: ReturnCondition;
}

export interface SlaState extends SlaTerms {
  /** Set while the clock is paused (case awaiting the customer). */
  pausedSince?: string;
  pausedMsTotal: number;
  /** Business time spent paused (equal to `pausedMsTotal` for 24×7 cases); absent until the first resumption. */
  pausedBusinessMsTotal?: number;
  firstRespondedAt?: string;
  /** When the resolution clock stopped: resolved, rejected or withdrawn. */
  stoppedAt?: string;
  /** Clocks already warned about / breached (each recorded once per due time). */
  warnings: Array<'FIRST_RESPONSE' | 'RESOLUTION'>;
  breaches: Array<'FIRST_RESPONSE' | 'RESOLUTION'>;
}

/** One follow-up visit: scheduled with a closure, recorded by an agent (legacy closures: recorded only). */
export interface FollowUpState {
  sequence: number;
  scheduledAt?: string;
  dueAt?: string;
  followUpDays?: number;
  outcome?: FollowUpOutcome;
  note?: string;
  recordedAt?: string;
}

export interface EscalationRecord {
  level: EscalationLevel;
  reason: EscalationReason;
  at: string;
  automatic: boolean;
  actor: Actor;
}

export interface CaseState {
  caseId: string;
  /** Revision of the last event folded in; -1 before the case exists. */
  revision: number;
  exists: boolean;
  status: CaseStatus;
  orderId: string;
  customerId: string;
  merchantId: string;
  caseType: CaseType;
  channel: Channel;
  priority: Priority;
  customerTier: CustomerTier;
  /** Where the tier came from at opening; absent on cases opened before it was recorded. */
  tierSource?: TierSource;
  reason: string;
  description: string;
  items: CaseItem[];
  currency?: string;
  requestedResolution?: ResolutionKind;
  contact?: ContactDetails;
  openedAt: string;
  acknowledgedAt?: string;
  resolvedAt?: string;
  closedAt?: string;
  assignee?: { agentId: string; team?: string };
  sla: SlaState;
  escalationLevel: EscalationLevel;
  escalations: EscalationRecord[];
  /** Customer contacts (the opening included) since the last agent reply. */
  customerContactsSinceReply: number;
  messages: { agent: number; customer: number };
  resolution?: ResolutionState;
  returnFlow?: ReturnState;
  refundedTotal: number;
  refunds: { amount: number; currency: string; at: string }[];
  replacementShipped?: { carrier: string; trackingNumber: string; at: string };
  repairCompletedAt?: string;
  compensations: { points?: number; couponAmount?: number; currency?: string; at: string }[];
  satisfaction?: { score: number; nps?: number; comment?: string; at: string };
  rejection?: { reasonCode: string; legalBasis?: string; note?: string; at: string };
  withdrawal?: { reason: string; at: string };
  reopenCount: number;
  updatedAt: string;
  /** What triage found in the text at opening; absent on cases opened before triage was recorded. */
  triage?: CaseTriage;
  /** The case's follow-up visits, oldest first; absent on states folded before follow-ups existed. */
  followUps?: FollowUpState[];
}

export function initialCaseState(caseId: string): CaseState {
  return {
    caseId,
    revision: -1,
    exists: false,
    status: 'OPEN',
    orderId: '',
    customerId: '',
    merchantId: '',
    caseType: 'COMPLAINT',
    channel: 'SYSTEM',
    priority: 'NORMAL',
    customerTier: 'STANDARD',
    reason: '',
    description: '',
    items: [],
    openedAt: '',
    sla: {
      policyId: '',
      policyVersion: 0,
      firstResponseTargetMinutes: 0,
      resolutionTargetMinutes: 0,
      firstResponseDueAt: '',
      resolutionDueAt: '',
      pausedMsTotal: 0,
      warnings: [],
      breaches: [],
    },
    escalationLevel: 'L0',
    escalations: [],
    customerContactsSinceReply: 0,
    messages: { agent: 0, customer: 0 },
    refundedTotal: 0,
    refunds: [],
    compensations: [],
    reopenCount: 0,
    updatedAt: '',
  };
}

/** Σ quantity × unit amount of the case's items. */
export function itemsValue(state: Pick<CaseState, 'items'>): number {
  return roundMoney(state.items.reduce((sum, item) => sum + item.quantity * item.amount, 0));
}

export function roundMoney(value: number): number {
  return Math.round(value * 100) / 100;
}
