/** The closed vocabularies of an after-sales case (spec section 3). */

export const CASE_TYPES = ['RETURN', 'EXCHANGE', 'REFUND', 'REPAIR', 'WARRANTY', 'TECH_SUPPORT', 'COMPLAINT'] as const;
export type CaseType = (typeof CASE_TYPES)[number];

export const CHANNELS = ['WEB', 'APP', 'PHONE', 'CHAT', 'EMAIL', 'SOCIAL', 'SYSTEM'] as const;
export type Channel = (typeof CHANNELS)[number];

export const PRIORITIES = ['LOW', 'NORMAL', 'HIGH', 'URGENT'] as const;
export type Priority = (typeof PRIORITIES)[number];

export const CUSTOMER_TIERS = ['STANDARD', 'SILVER', 'GOLD', 'PLATINUM'] as const;
export type CustomerTier = (typeof CUSTOMER_TIERS)[number];

/** Where a case's tier came from at opening: the loyalty view, the request, or the STANDARD default. */
export const TIER_SOURCES = ['loyalty', 'given', 'default'] as const;
export type TierSource = (typeof TIER_SOURCES)[number];

export const CASE_STATUSES = [
  'OPEN',
  'ACKNOWLEDGED',
  'IN_PROGRESS',
  'AWAITING_CUSTOMER',
  'RESOLUTION_PROPOSED',
  'RESOLVED',
  'CLOSED',
  'REJECTED',
  'WITHDRAWN',
  'REOPENED',
] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

export const ESCALATION_LEVELS = ['L0', 'L1', 'L2', 'L3'] as const;
export type EscalationLevel = (typeof ESCALATION_LEVELS)[number];

export const RESOLUTION_KINDS = ['REFUND', 'PARTIAL_REFUND', 'REPLACEMENT', 'REPAIR', 'COMPENSATION', 'EXPLANATION'] as const;
export type ResolutionKind = (typeof RESOLUTION_KINDS)[number];

export const RETURN_CONDITIONS = ['INTACT', 'DAMAGED', 'MISSING_PARTS'] as const;
export type ReturnCondition = (typeof RETURN_CONDITIONS)[number];

export const ACTOR_TYPES = ['customer', 'agent', 'system', 'service'] as const;
export type ActorType = (typeof ACTOR_TYPES)[number];

/** Who did something. A customer's answer relayed by a service or an agent names the relay in `via`. */
export interface Actor {
  type: ActorType;
  id: string;
  via?: { type: ActorType; id: string };
}

/** The actions of spec section 7, in the order a case usually meets them. */
export const CASE_ACTIONS = [
  'acknowledge',
  'assign',
  'reply',
  'request-info',
  'customer-message',
  'escalate',
  'propose-resolution',
  'accept-resolution',
  'reject-resolution',
  'authorize-return',
  'return-shipped',
  'return-received',
  'issue-refund',
  'ship-replacement',
  'complete-repair',
  'grant-compensation',
  'resolve',
  'reject',
  'reopen',
  'record-satisfaction',
  'close',
  'withdraw',
  'record-follow-up',
] as const;
export type CaseAction = (typeof CASE_ACTIONS)[number];

/** Actions that carry the customer's own words or decisions; a service may send them on the customer's behalf. */
export const CUSTOMER_ACTIONS: readonly CaseAction[] = [
  'customer-message',
  'accept-resolution',
  'reject-resolution',
  'return-shipped',
  'record-satisfaction',
  'withdraw',
];

/** What a follow-up visit (回访) after closure found. */
export const FOLLOW_UP_OUTCOMES = ['REACHED_SATISFIED', 'REACHED_UNSATISFIED', 'ISSUE_RECURRED', 'UNREACHABLE'] as const;
export type FollowUpOutcome = (typeof FOLLOW_UP_OUTCOMES)[number];

/** Goods exempt from no-reason returns (CN Consumer Rights Protection Law art. 25; EU Directive 2011/83/EU art. 16). */
export const RETURN_EXEMPTIONS = ['MADE_TO_ORDER', 'PERISHABLE', 'DIGITAL_UNSEALED', 'PERIODICAL', 'CONFIRMED_AT_PURCHASE'] as const;
export type ReturnExemption = (typeof RETURN_EXEMPTIONS)[number];

export interface CaseItem {
  sku: string;
  quantity: number;
  /** Unit price in the case currency. */
  amount: number;
  /** Set when the item may not be returned without a reason. */
  returnExemption?: ReturnExemption;
}

export interface ContactDetails {
  name?: string;
  phone?: string;
  email?: string;
}

export function levelRank(level: EscalationLevel): number {
  return ESCALATION_LEVELS.indexOf(level);
}
