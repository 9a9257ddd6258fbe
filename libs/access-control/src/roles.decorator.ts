import { SetMetadata } from '@nestjs/common';
import type { Role } from '@aftersales/runtime-config';

export const ROLES_KEY = 'aftersales:roles';
export const PUBLIC_KEY = 'aftersales:public';

/** The roles allowed on a route. A route with neither @Roles nor @Public is refused to everyone. */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);

/** A route that needs no token (health, metrics). */
export const Public = () => SetMetadata(PUBLIC_KEY, true);
