/**
 * Checks `Authorization: Bearer <token>` against the token registry and the route's roles:
 * 401 without a valid token, 403 with a token whose role the route does not allow.
 */
import {
  BadRequestException,
  CanActivate,
  ExecutionContext,
  ForbiddenException,
  Injectable,
  UnauthorizedException,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Role } from '@aftersales/runtime-config';
import { PUBLIC_KEY, ROLES_KEY } from './roles.decorator';
import { TokenRegistry } from './token-registry';

export interface AuthenticatedRequest {
  headers: Record<string, string | string[] | undefined>;
  principal?: { role: Role; actorId: string };
}

const ACTOR_ID = /^[A-Za-z0-9._:@-]{1,100}$/;

@Injectable()
export class BearerAuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: TokenRegistry,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const allowed = this.reflector.getAllAndOverride<Role[]>(ROLES_KEY, targets) ?? [];
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const header = request.headers.authorization;
    const match = typeof header === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
    if (!match) throw new UnauthorizedException('an Authorization: Bearer <token> header is required');
    const role = this.tokens.roleOf(match[1]);
    if (!role) throw new UnauthorizedException('the bearer token is not valid');
    if (!allowed.includes(role)) {
      throw new ForbiddenException(`role '${role}' may not do this; allowed: ${allowed.join(', ') || 'nobody'}`);
    }
    const actorHeader = request.headers['x-actor-id'];
    if (actorHeader !== undefined && (typeof actorHeader !== 'string' || !ACTOR_ID.test(actorHeader))) {
      throw new BadRequestException('X-Actor-Id must be 1-100 characters of letters, digits and . _ : @ -');
    }
    const actorId = typeof actorHeader === 'string' ? actorHeader : role;
    request.principal = { role, actorId };
    return true;
  }
}
