/** The typed command union: one command per action of spec section 7, plus opening a case. */
import type {
  Actor,
  CaseItem,
  CaseType,
  Channel,
  ContactDetails,
  CustomerTier,
  EscalationLevel,
  FollowUpOutcome,
  Priority,
  ResolutionKind,
  ReturnCondition,
} from './case-vocabulary';
import type { BusinessCalendar } from '@aftersales/business-calendar';
import type { CaseTriage } from './case-events';

interface Command<T extends string, P> {
  type: T;
  caseId: string;
  actor: Actor;
  payload: P;
}

export interface OpenCasePayload {
  orderId: string;
  customerId: string;
  merchantId: string;
  type: CaseType;
  channel: Channel;
  priority?: Priority;
  customerTier?: CustomerTier;
  reason: string;
  description: string;
  items?: CaseItem[];
  currency?: string;
  requestedResolution?: ResolutionKind;
  contact?: ContactDetails;
}

/**
 * What the application looked up for an opening, so that `decide` stays pure: the merchant's business-hours
 * calendar (none: 24×7) and the customer's tier in the loyalty view (none: the customer is not known there).
 */
export interface OpenCaseLookups {
  calendar?: BusinessCalendar;
  loyaltyTier?: CustomerTier;
}

/**
 * `triage`: what the triage analyser found in the reason and description, recorded as `CaseTriaged`; its
 * regulator mention drives the L3 rule (without one, the configured regulator terms are matched instead).
 */
export type OpenCase = Command<'open', OpenCasePayload> & { lookups?: OpenCaseLookups; triage?: CaseTriage };
export type Acknowledge = Command<'acknowledge', { note?: string }>;
export type Assign = Command<'assign', { agentId: string; team?: string }>;
export type Reply = Command<'reply', { message: string }>;
export type RequestInfo = Command<'request-info', { message: string }>;
export type CustomerMessage = Command<'customer-message', { message: string }>;
export type Escalate = Command<'escalate', { level: Exclude<EscalationLevel, 'L0'>; reason: string }>;
export type ProposeResolution = Command<'propose-resolution', { kind: ResolutionKind; amount?: number; currency?: string; note?: string }>;
export type AcceptResolution = Command<'accept-resolution', { note?: string }>;
export type RejectResolution = Command<'reject-resolution', { note?: string }>;
export type AuthorizeReturn = Command<'authorize-return', { rmaNumber?: string; returnBy?: string }>;
export type ReturnShippedCommand = Command<'return-shipped', { carrier: string; trackingNumber: string }>;
export type ReturnReceivedCommand = Command<'return-received', { condition: ReturnCondition }>;
export type IssueRefund = Command<'issue-refund', { amount: number; currency: string }>;
export type ShipReplacement = Command<'ship-replacement', { carrier: string; trackingNumber: string }>;
export type CompleteRepair = Command<'complete-repair', { note?: string }>;
export type GrantCompensation = Command<'grant-compensation', { points?: number; couponAmount?: number; currency?: string }>;
export type Resolve = Command<'resolve', { summary: string }>;
export type Reject = Command<'reject', { reasonCode: string; legalBasis?: string; note?: string }>;
export type Reopen = Command<'reopen', { reason: string }>;
export type RecordSatisfaction = Command<'record-satisfaction', { score: number; nps?: number; comment?: string }>;
export type Close = Command<'close', { note?: string; reasonCode?: string }>;
export type Withdraw = Command<'withdraw', { reason: string }>;
export type RecordFollowUp = Command<'record-follow-up', { outcome: FollowUpOutcome; note?: string }>;

export type CaseActionCommand =
  | Acknowledge
  | Assign
  | Reply
  | RequestInfo
  | CustomerMessage
  | Escalate
  | ProposeResolution
  | AcceptResolution
  | RejectResolution
  | AuthorizeReturn
  | ReturnShippedCommand
  | ReturnReceivedCommand
  | IssueRefund
  | ShipReplacement
  | CompleteRepair
  | GrantCompensation
  | Resolve
  | Reject
  | Reopen
  | RecordSatisfaction
  | Close
  | Withdraw
  | RecordFollowUp;

/** The two SLA clocks of a case. */
export type SlaClockName = 'FIRST_RESPONSE' | 'RESOLUTION';

/**
 * Observations the SLA watch makes on the system's behalf. They are not HTTP actions: the aggregate checks them
 * against its own clocks and records each warning and breach once, however often and by however many
 * instances they are sent.
 */
export type RecordSlaWarning = Command<'record-sla-warning', { clock: SlaClockName }>;
export type RecordSlaBreach = Command<'record-sla-breach', { clock: SlaClockName }>;
export type SlaWatchCommand = RecordSlaWarning | RecordSlaBreach;

/**
 * The follow-up process manager's command after a follow-up found the issue recurred: reopen the case, once.
 * Not an HTTP action: the aggregate reopens only a case still closed on that very follow-up, and decides nothing
 * otherwise, so a redelivered or repeated command never reopens twice.
 */
export type ReopenAfterFollowUp = Command<'reopen-after-follow-up', { sequence: number }>;

export type CaseCommand = OpenCase | CaseActionCommand | SlaWatchCommand | ReopenAfterFollowUp;
