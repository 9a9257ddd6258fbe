/**
 * The typed event union of the case aggregate. Each event is what the domain decided; the application
 * layer wraps it with stream metadata (event id, revision, recorded-at, correlation and causation ids).
 */
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
  TierSource,
} from './case-vocabulary';
import type { BusinessCalendar } from '@aftersales/business-calendar';

export interface SlaTerms {
  policyId: string;
  policyVersion: number;
  firstResponseTargetMinutes: number;
  resolutionTargetMinutes: number;
  firstResponseDueAt: string;
  resolutionDueAt: string;
  /** The business-hours calendar the targets count in, as it was when the case opened; absent: 24×7. */
  calendar?: BusinessCalendar;
}

export type EscalationReason =
  'MANUAL' | 'FIRST_RESPONSE_BREACH' | 'RESOLUTION_BREACH' | 'UNANSWERED_CUSTOMER_CONTACTS' | 'LOW_SATISFACTION' | 'REGULATOR_MENTION';

interface Envelope<T extends string, D> {
  type: T;
  data: D;
  occurredAt: string;
  actor: Actor;
}

/** Version 2 (docs/events.md): v1 had `customerTier` and `tierSource?` side by side; readers upcast it (event-versions.ts). */
export type CaseOpened = Envelope<
  'CaseOpened',
  {
    caseId: string;
    orderId: string;
    customerId: string;
    merchantId: string;
    caseType: CaseType;
    channel: Channel;
    priority: Priority;
    /** Since v2: the tier and where it came from (`source` absent on cases opened before it was recorded). */
    tier: { level: CustomerTier; source?: TierSource };
    reason: string;
    description: string;
    items: CaseItem[];
    currency?: string;
    requestedResolution?: ResolutionKind;
    contact?: ContactDetails;
    sla: SlaTerms;
  }
>;
export type CaseAcknowledged = Envelope<'CaseAcknowledged', { note?: string }>;
export type CaseAssigned = Envelope<'CaseAssigned', { agentId: string; team?: string }>;
export type AgentReplied = Envelope<'AgentReplied', { message: string }>;
export type InfoRequested = Envelope<'InfoRequested', { message: string }>;
export type CustomerMessageReceived = Envelope<'CustomerMessageReceived', { message: string }>;
export type SlaClockPaused = Envelope<'SlaClockPaused', { pausedAt: string }>;
export type SlaClockResumed = Envelope<
  'SlaClockResumed',
  {
    resumedAt: string;
    pausedMs: number;
    /** The resolution due time, moved by the pause. */
    resolutionDueAt: string;
    /** The paused business time, on cases with a calendar (otherwise equal to `pausedMs`). */
    pausedBusinessMs?: number;
  }
>;
export type CaseEscalated = Envelope<
  'CaseEscalated',
  { level: EscalationLevel; previousLevel: EscalationLevel; reason: EscalationReason; note?: string; automatic: boolean }
>;
export type ResolutionProposed = Envelope<'ResolutionProposed', { kind: ResolutionKind; amount?: number; currency?: string; note?: string }>;
export type ResolutionAccepted = Envelope<'ResolutionAccepted', { kind: ResolutionKind; note?: string }>;
export type ResolutionRejected = Envelope<'ResolutionRejected', { kind: ResolutionKind; note?: string }>;
export type ReturnAuthorized = Envelope<'ReturnAuthorized', { rmaNumber: string; returnBy?: string }>;
export type ReturnShipped = Envelope<'ReturnShipped', { rmaNumber: string; carrier: string; trackingNumber: string }>;
export type ReturnReceived = Envelope<'ReturnReceived', { rmaNumber: string; receivedAt: string }>;
export type ReturnInspected = Envelope<'ReturnInspected', { rmaNumber: string; condition: ReturnCondition }>;
export type RefundIssued = Envelope<'RefundIssued', { amount: number; currency: string; refundedTotal: number }>;
export type ReplacementShipped = Envelope<'ReplacementShipped', { carrier: string; trackingNumber: string }>;
export type RepairCompleted = Envelope<'RepairCompleted', { note?: string }>;
export type CompensationGranted = Envelope<'CompensationGranted', { points?: number; couponAmount?: number; currency?: string }>;
export type CaseResolved = Envelope<'CaseResolved', { summary: string; resolutionKind: ResolutionKind }>;
export type CaseRejected = Envelope<'CaseRejected', { reasonCode: string; legalBasis?: string; note?: string }>;
export type CaseReopened = Envelope<
  'CaseReopened',
  {
    reason: string;
    /** A fresh resolution target, counted from the reopening. */
    resolutionDueAt: string;
  }
>;
export type SatisfactionRecorded = Envelope<
  'SatisfactionRecorded',
  {
    /** 1 to 5. */
    score: number;
    /** 0 to 10. */
    nps?: number;
    comment?: string;
  }
>;
export type CaseClosed = Envelope<'CaseClosed', { note?: string; reasonCode: string }>;
export type CaseWithdrawn = Envelope<'CaseWithdrawn', { reason: string }>;
export type SlaWarningIssued = Envelope<'SlaWarningIssued', { clock: 'FIRST_RESPONSE' | 'RESOLUTION'; dueAt: string }>;
export type SlaBreached = Envelope<'SlaBreached', { clock: 'FIRST_RESPONSE' | 'RESOLUTION'; dueAt: string }>;
/** Decided with each closure: the follow-up visit of that closure (`sequence` counts the case's follow-ups from 1). */
export type FollowUpScheduled = Envelope<
  'FollowUpScheduled',
  {
    /** The follow-up's number on the case, from 1 (a case reopened and closed again gets the next). */
    sequence: number;
    /** The closure plus `followUpDays` whole days. */
    dueAt: string;
    /** FOLLOW_UP_DAYS, or FOLLOW_UP_DAYS_BY_TYPE for the case type, when the case closed. */
    followUpDays: number;
  }
>;
/** The agent's follow-up visit; `ISSUE_RECURRED` makes the follow-up process manager reopen the case. */
export type FollowUpRecorded = Envelope<
  'FollowUpRecorded',
  {
    /** The follow-up recorded (a closure made before follow-ups were scheduled gets the next number). */
    sequence: number;
    outcome: FollowUpOutcome;
    note?: string;
  }
>;

/**
 * What triage found in the case's text when it opened (computed by the application with the triage analyser,
 * passed into the open command): sentiment, suggested type and priority, regulator mention, repeat complaint,
 * each with the evidence that drove it, and the analyser's version.
 */
export interface CaseTriage {
  analyserVersion: string;
  language: string;
  truncated: boolean;
  sentiment: { label: 'NEGATIVE' | 'NEUTRAL' | 'POSITIVE'; score: number; evidence: { feature: string; weight: number }[] };
  suggestedType: { type: CaseType; confidence: number; evidence: string[] };
  suggestedPriority: { priority: Priority; evidence: string[] };
  regulatorMention: {
    mentioned: boolean;
    terms: string[];
    evidence: { term: string; strength: 'strong' | 'contextual'; cue?: string; at: number }[];
  };
  repeatComplaint: { repeat: boolean; priorCaseIds: string[] };
}
export type CaseTriaged = Envelope<'CaseTriaged', CaseTriage>;

export type CaseEvent =
  | CaseOpened
  | CaseAcknowledged
  | CaseAssigned
  | AgentReplied
  | InfoRequested
  | CustomerMessageReceived
  | SlaClockPaused
  | SlaClockResumed
  | CaseEscalated
  | ResolutionProposed
  | ResolutionAccepted
  | ResolutionRejected
  | ReturnAuthorized
  | ReturnShipped
  | ReturnReceived
  | ReturnInspected
  | RefundIssued
  | ReplacementShipped
  | RepairCompleted
  | CompensationGranted
  | CaseResolved
  | CaseRejected
  | CaseReopened
  | SatisfactionRecorded
  | CaseClosed
  | CaseWithdrawn
  | SlaWarningIssued
  | SlaBreached
  | CaseTriaged
  | FollowUpScheduled
  | FollowUpRecorded;

export type CaseEventType = CaseEvent['type'];

export const CASE_EVENT_TYPES: readonly CaseEventType[] = [
  'CaseOpened',
  'CaseAcknowledged',
  'CaseAssigned',
  'AgentReplied',
  'InfoRequested',
  'CustomerMessageReceived',
  'SlaClockPaused',
  'SlaClockResumed',
  'CaseEscalated',
  'ResolutionProposed',
  'ResolutionAccepted',
  'ResolutionRejected',
  'ReturnAuthorized',
  'ReturnShipped',
  'ReturnReceived',
  'ReturnInspected',
  'RefundIssued',
  'ReplacementShipped',
  'RepairCompleted',
  'CompensationGranted',
  'CaseResolved',
  'CaseRejected',
  'CaseReopened',
  'SatisfactionRecorded',
  'CaseClosed',
  'CaseWithdrawn',
  'SlaWarningIssued',
  'SlaBreached',
  'CaseTriaged',
  'FollowUpScheduled',
  'FollowUpRecorded',
];

export function isCaseEventType(type: string): type is CaseEventType {
  return (CASE_EVENT_TYPES as readonly string[]).includes(type);
}
