/** Route metadata read by the bearer guard: the roles a route allows, and whether (or when) it is open to everyone. */
import { SetMetadata } from '@nestjs/common';
import type { TokenRole } from '@aftersales/runtime-config';

export const ROLES_KEY = 'aftersales:roles';
export const PUBLIC_KEY = 'aftersales:public';
export const PUBLIC_WHEN_KEY = 'aftersales:public-when';

/** The roles allowed on a route. A route with neither @Roles nor @Public is refused to everyone. */
export const Roles = (...roles: TokenRole[]) => SetMetadata(ROLES_KEY, roles);

/** A route that needs no token (health). */
export const Public = () => SetMetadata(PUBLIC_KEY, true);

/** Switches that open a route to everyone when set (`metrics`: METRICS_PUBLIC=true); the route's @Roles apply otherwise. */
export interface PublicSwitches {
  metrics: boolean;
}
export const PUBLIC_SWITCHES = Symbol('PUBLIC_SWITCHES');

/** A route that needs no token when the named switch is on, and the @Roles given otherwise. */
export const PublicWhen = (switchName: keyof PublicSwitches) => SetMetadata(PUBLIC_WHEN_KEY, switchName);
