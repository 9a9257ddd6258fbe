/**
 * SLA policies: targets per priority, scaled per customer tier. Policies are versioned configuration;
 * the terms applied are copied onto the case when it opens, so a later policy change never rewrites history.
 * The targets count business time in the merchant's calendar when one applies (copied onto the case too).
 */
import type { BusinessCalendar } from '@aftersales/business-calendar';
import type { CustomerTier, Priority } from './case-vocabulary';
import { CUSTOMER_TIERS, PRIORITIES } from './case-vocabulary';
import type { SlaTerms } from './case-events';
import { slaTimeIn } from './sla-time';

export interface SlaTarget {
  firstResponseMinutes: number;
  resolutionMinutes: number;
}

export interface SlaPolicy {
  id: string;
  version: number;
  targets: Record<Priority, SlaTarget>;
  /** Multiplier applied to both targets; GOLD and PLATINUM halve them by default. */
  tierFactors: Record<CustomerTier, number>;
  /** Share of a target elapsed after which the case counts as at risk (warning before the breach). */
  warningRatio: number;
}

export const DEFAULT_SLA_POLICY: SlaPolicy = {
  id: 'default',
  version: 1,
  targets: {
    URGENT: { firstResponseMinutes: 60, resolutionMinutes: 24 * 60 },
    HIGH: { firstResponseMinutes: 4 * 60, resolutionMinutes: 48 * 60 },
    NORMAL: { firstResponseMinutes: 24 * 60, resolutionMinutes: 72 * 60 },
    LOW: { firstResponseMinutes: 48 * 60, resolutionMinutes: 120 * 60 },
  },
  tierFactors: { STANDARD: 1, SILVER: 1, GOLD: 0.5, PLATINUM: 0.5 },
  warningRatio: 0.75,
};

const MINUTE = 60_000;

export function addMinutes(iso: string, minutes: number): string {
  return new Date(Date.parse(iso) + minutes * MINUTE).toISOString();
}

export function slaTargetFor(policy: SlaPolicy, priority: Priority, tier: CustomerTier): SlaTarget {
  const base = policy.targets[priority];
  const factor = policy.tierFactors[tier];
  return {
    firstResponseMinutes: Math.round(base.firstResponseMinutes * factor),
    resolutionMinutes: Math.round(base.resolutionMinutes * factor),
  };
}

/** The terms a case opens with; without a calendar the targets count wall-clock time (24×7). */
export function slaTermsAt(policy: SlaPolicy, priority: Priority, tier: CustomerTier, openedAt: string, calendar?: BusinessCalendar): SlaTerms {
  const target = slaTargetFor(policy, priority, tier);
  const time = slaTimeIn(calendar);
  return {
    policyId: policy.id,
    policyVersion: policy.version,
    firstResponseTargetMinutes: target.firstResponseMinutes,
    resolutionTargetMinutes: target.resolutionMinutes,
    firstResponseDueAt: time.add(openedAt, target.firstResponseMinutes * MINUTE),
    resolutionDueAt: time.add(openedAt, target.resolutionMinutes * MINUTE),
    ...(calendar ? { calendar } : {}),
  };
}

/** Checks a policy read from configuration; returns every problem found, empty when it is sound. */
export function slaPolicyProblems(candidate: unknown): string[] {
  const problems: string[] = [];
  const p = candidate as Partial<SlaPolicy> | null;
  if (!p || typeof p !== 'object') return ['policy must be a JSON object'];
  if (typeof p.id !== 'string' || p.id.length === 0) problems.push('id must be a non-empty string');
  if (!Number.isInteger(p.version) || (p.version as number) < 1) problems.push('version must be a positive integer');
  for (const priority of PRIORITIES) {
    const t = p.targets?.[priority];
    if (!t || !(t.firstResponseMinutes > 0) || !(t.resolutionMinutes > 0)) {
      problems.push(`targets.${priority} needs positive firstResponseMinutes and resolutionMinutes`);
    } else if (t.firstResponseMinutes > t.resolutionMinutes) {
      problems.push(`targets.${priority}.firstResponseMinutes exceeds resolutionMinutes`);
    }
  }
  for (const tier of CUSTOMER_TIERS) {
    const f = p.tierFactors?.[tier];
    if (typeof f !== 'number' || !(f > 0) || f > 10) problems.push(`tierFactors.${tier} must be a number in (0, 10]`);
  }
  if (typeof p.warningRatio !== 'number' || !(p.warningRatio > 0 && p.warningRatio < 1)) {
    problems.push('warningRatio must be between 0 and 1 (exclusive)');
  }
  return problems;
}
