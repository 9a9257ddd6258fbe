/** The shapes of the API answers the console reads (the parts it shows); the API's docs/OpenAPI are the reference. */
// The early-warning signal has one definition, shared with the API (type-only: nothing of it reaches the bundle).
import type { EarlyWarningSignal } from '../../../libs/early-warning/src/early-warning-signal';

export interface SlaClock {
  dueAt: string;
  metAt?: string;
  msLeft?: number;
  atRisk: boolean;
  breached: boolean;
}

export interface EscalationEntry {
  caseId: string;
  status: string;
  level: string;
  priority: string;
  type: string;
  merchantId: string;
  customerId: string;
  assignee?: string;
  team?: string;
  openedAt: string;
  firstResponse: SlaClock;
  resolution: SlaClock & { paused: boolean };
  atRisk: boolean;
  breached: boolean;
}

export interface EscalationView {
  asOf: string;
  total: number;
  breached: EscalationEntry[];
  atRisk: EscalationEntry[];
  cases: EscalationEntry[];
}

export interface SatisfactionGroup {
  key: string;
  cases: number;
  rated: number;
  meanCsat: number | null;
  satisfiedShare: number | null;
  slaCompliance: number | null;
}

export interface SatisfactionView {
  groupBy: string;
  groups: SatisfactionGroup[];
}

export interface ImpactRow {
  cases: number;
  repurchased: number;
  rate: number | null;
}

export interface LoyaltyImpact {
  asOf: string;
  windowDays: number;
  eligibleCases: number;
  overall: ImpactRow;
  byOutcome: Record<string, ImpactRow>;
  byCsatBand: Record<string, ImpactRow>;
}

export type { EarlyWarningSignal };

export interface EarlyWarningView {
  asOf: string;
  atRisk: Array<Partial<EscalationEntry> & { caseId: string }>;
  signals: EarlyWarningSignal[];
}

export interface HistoryEntry {
  eventId: string;
  type: string;
  schemaVersion: number;
  revision: number;
  occurredAt: string;
  recordedAt: string;
  actor: { type: string; id: string };
  correlationId: string;
  causationId: string;
  data: unknown;
  hash?: string;
}

/** The data of a CaseTriaged event: what triage found in the case's text, with the evidence for each finding. */
export interface TriageData {
  analyserVersion: string;
  language: string;
  truncated: boolean;
  sentiment: { label: string; score: number; evidence: Array<{ feature: string; weight: number }> };
  suggestedType: { type: string; confidence: number; evidence: string[] };
  suggestedPriority: { priority: string; evidence: string[] };
  regulatorMention: { mentioned: boolean; terms: string[]; evidence: Array<{ term: string; strength: string; cue?: string; at: number }> };
  repeatComplaint: { repeat: boolean; priorCaseIds: string[] };
}

export interface CaseView {
  caseId: string;
  revision: number;
  status: string;
  type: string;
  priority: string;
  customerTier: string;
  merchantId: string;
  openedAt: string;
  updatedAt: string;
  assignee?: { agentId: string; team?: string };
  escalation: { level: string };
  sla: { firstResponse: SlaClock; resolution: SlaClock; paused: boolean; readAt: string };
}

export interface ChainCheck {
  caseId: string;
  events: number;
  valid: boolean;
  headHash?: string;
  verifiedAt: string;
  firstBrokenLink?: { revision?: number; reason?: string; [detail: string]: unknown };
}

export interface Violation {
  rule: string;
  profile: string;
  caseId: string;
  merchantId: string;
  openedAt: string;
  detail: string;
  evidence: string[];
  link: string;
}

export interface ComplianceReport {
  profile: string;
  generatedAt: string;
  casesChecked: number;
  summary: Record<string, number>;
  violations: Violation[];
}

export interface RebuildProgress {
  projection: string;
  state: 'running' | 'swapping' | 'done' | 'failed';
  processed: number;
  startedAt: string;
  finishedAt?: string;
  error?: string;
}

export interface ProjectionStatus {
  name: string;
  storeHead?: string;
  checkpoints: Array<{ source: string; position: string; updatedAt: string; lag?: number }>;
  deadLetters: number;
  rebuild?: RebuildProgress;
}

export interface WhatIfTally {
  cases: number;
  firstResponseBreaches: number;
  resolutionBreaches: number;
  escalatedL1: number;
  escalatedL2: number;
}

export interface WhatIfReport {
  policy: { id: string; version: number };
  at: string;
  teams: Record<string, { actual: WhatIfTally; whatIf: WhatIfTally; recorded: { L1: number; L2: number; L3: number } }>;
}
