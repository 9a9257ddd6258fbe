/** The three read models of spec sections 4-6. */
import { EarlyWarningProjection } from './early-warning/early-warning.projection';
import { EscalationProjection } from './escalation/escalation.projection';
import { FollowUpsProjection } from './follow-ups/follow-ups.projection';
import { LoyaltyProjection } from './loyalty/loyalty.projection';
import type { Projection } from './projection';
import { SatisfactionProjection } from './satisfaction/satisfaction.projection';

/** The views, or those named in `only` (in their usual order). */
export function createProjections(only?: readonly string[]): Projection[] {
  const all = [new EscalationProjection(), new SatisfactionProjection(), new LoyaltyProjection(), new EarlyWarningProjection(), new FollowUpsProjection()];
  return only ? all.filter((p) => only.includes(p.name)) : all;
}
