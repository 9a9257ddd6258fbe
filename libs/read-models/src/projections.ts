/** The three read models of spec sections 4-6. */
import { EscalationProjection } from './escalation/escalation.projection';
import { LoyaltyProjection } from './loyalty/loyalty.projection';
import type { Projection, ProjectionName } from './projection';
import { SatisfactionProjection } from './satisfaction/satisfaction.projection';

export const PROJECTION_NAMES: ProjectionName[] = ['escalation', 'satisfaction', 'loyalty'];

/** The views, or those named in `only` (in their usual order). */
export function createProjections(only?: readonly string[]): Projection[] {
  const all = [new EscalationProjection(), new SatisfactionProjection(), new LoyaltyProjection()];
  return only ? all.filter((p) => only.includes(p.name)) : all;
}
