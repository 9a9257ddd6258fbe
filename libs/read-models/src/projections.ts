/** The three read models of spec sections 4-6. */
import { EscalationProjection } from './escalation/escalation.projection';
import { LoyaltyProjection } from './loyalty/loyalty.projection';
import type { Projection, ProjectionName } from './projection';
import { SatisfactionProjection } from './satisfaction/satisfaction.projection';

export const PROJECTION_NAMES: ProjectionName[] = ['escalation', 'satisfaction', 'loyalty'];

export function createProjections(): Projection[] {
  return [new EscalationProjection(), new SatisfactionProjection(), new LoyaltyProjection()];
}
