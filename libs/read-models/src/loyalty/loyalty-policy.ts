/** The loyalty programme's rules: points, tiers, the repurchase window, churn signals. */
import type { CustomerTier } from '@aftersales/case-domain';

export const LOYALTY_POLICY = {
  /** Points per whole unit of a paid, not cancelled order. */
  pointsPerCurrencyUnit: 1,
  /** Points for giving feedback (a recorded satisfaction). */
  feedbackPoints: 10,
  /** Lowest points total of each tier, highest first. */
  tiers: [
    ['PLATINUM', 20_000],
    ['GOLD', 5_000],
    ['SILVER', 1_000],
    ['STANDARD', 0],
  ] as Array<[CustomerTier, number]>,
  /** An order placed within this many days after a case's closure counts as a repurchase. */
  repurchaseWindowDays: 90,
  /** How far back churn signals look. */
  churnLookbackDays: 180,
  /** Cases opened within `repeatedCasesDays` that count as repeated trouble. */
  repeatedCases: 3,
  repeatedCasesDays: 90,
};

export function tierFor(points: number): CustomerTier {
  return LOYALTY_POLICY.tiers.find(([, floor]) => points >= floor)![0];
}

export type CsatBand = 'LOW' | 'NEUTRAL' | 'HIGH' | 'NONE';

export function csatBand(score: number | null | undefined): CsatBand {
  if (score === null || score === undefined) return 'NONE';
  if (score <= 2) return 'LOW';
  if (score === 3) return 'NEUTRAL';
  return 'HIGH';
}
