/**
 * Checks `Authorization: Bearer <token>` against the token registry and the route's roles:
 * 401 without a valid token, 403 with a token whose role the route does not allow. A route marked
 * @PublicWhen(switch) is open to everyone while that switch is on (METRICS_PUBLIC for /metrics).
 */
import { BadRequestException, CanActivate, ExecutionContext, ForbiddenException, Inject, Injectable, Optional, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { TokenRole } from '@aftersales/runtime-config';
import { bearerTokenOf } from './bearer-credentials';
import type { PublicSwitches } from './roles.decorator';
import { PUBLIC_KEY, PUBLIC_SWITCHES, PUBLIC_WHEN_KEY, ROLES_KEY } from './roles.decorator';
import { TokenRegistry } from './token-registry';

export interface AuthenticatedRequest {
  headers: Record<string, string | string[] | undefined>;
  principal?: { role: TokenRole; actorId: string; tokenId: string };
}

const ACTOR_ID = /^[A-Za-z0-9._:@-]{1,100}$/;

@Injectable()
export class BearerAuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: TokenRegistry,
    @Optional() @Inject(PUBLIC_SWITCHES) private readonly switches: PublicSwitches = { metrics: false },
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const publicWhen = this.reflector.getAllAndOverride<keyof PublicSwitches | undefined>(PUBLIC_WHEN_KEY, targets);
    if (publicWhen && this.switches[publicWhen]) return true;
    const allowed = this.reflector.getAllAndOverride<TokenRole[]>(ROLES_KEY, targets) ?? [];
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const token = bearerTokenOf(request.headers.authorization);
    if (token === undefined) throw new UnauthorizedException('an Authorization: Bearer <token> header is required');
    const identity = this.tokens.identify(token);
    if (!identity) throw new UnauthorizedException('the bearer token is not valid');
    if (!allowed.includes(identity.role)) {
      throw new ForbiddenException(`role '${identity.role}' may not do this; allowed: ${allowed.join(', ') || 'nobody'}`);
    }
    const actorHeader = request.headers['x-actor-id'];
    if (actorHeader !== undefined && (typeof actorHeader !== 'string' || !ACTOR_ID.test(actorHeader))) {
      throw new BadRequestException('X-Actor-Id must be 1-100 characters of letters, digits and . _ : @ -');
    }
    const actorId = typeof actorHeader === 'string' ? actorHeader : identity.role;
    request.principal = { role: identity.role, actorId, tokenId: identity.tokenId };
    return true;
  }
}
