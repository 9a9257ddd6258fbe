/**
 * Rate limiting with @nestjs/throttler, before authentication: one token bucket per principal (the identity
 * of a valid bearer token, however the header is spelled) and, for requests without a valid token, one per
 * client address. Over the limit: 429 with Retry-After and the usual error body. /health and /health/live are
 * never limited; everything else, /metrics included, is.
 */
import { ExecutionContext, HttpException, HttpStatus, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { ThrottlerModuleOptions } from '@nestjs/throttler';
import { InjectThrottlerOptions, InjectThrottlerStorage, ThrottlerGuard, ThrottlerStorage, normalizeIp } from '@nestjs/throttler';
import type { Request } from 'express';
import { TokenRegistry, principalOf } from '@aftersales/access-control';
import type { Clock } from '@aftersales/case-domain';
import { TokenBucketStorage } from './rate-limit.storage';

export interface RateLimit {
  /** Requests per second each principal (or address) may sustain; 0 turns limiting off. */
  perSecond: number;
  /** Requests it may send at once after a pause (the bucket's size). */
  burst: number;
  /** Buckets kept at most (least recently used go first); DEFAULT_MAX_BUCKETS when absent. */
  maxBuckets?: number;
}

/** Paths the limiter never answers with 429: the probes of orchestrators. */
export const PROBE_PATHS = ['/health', '/health/ready', '/health/live'];

/** Named 'default' so the library writes plain Retry-After and X-RateLimit-* headers (others get a suffix). */
const THROTTLER = 'default';

/** The throttler's options for a limit: a bucket of `burst` tokens refilled at `perSecond`. */
export function rateLimitOptions(limit: RateLimit, clock: Clock): ThrottlerModuleOptions {
  const off = limit.perSecond <= 0;
  return {
    throttlers: [{ name: THROTTLER, limit: off ? 1 : limit.burst, ttl: off ? 1000 : (limit.burst / limit.perSecond) * 1000 }],
    storage: new TokenBucketStorage(() => clock.now().getTime(), limit.maxBuckets),
    skipIf: (context) => off || PROBE_PATHS.includes(context.switchToHttp().getRequest<Request>().path),
  };
}

/** The client address, IPv4-mapped IPv6 written as IPv4, IPv6 by its /64 (one host usually holds a whole /64). */
export function clientAddressOf(request: Request): string {
  const raw = request.ip ?? request.socket?.remoteAddress ?? 'unknown';
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(raw);
  return normalizeIp(mapped ? mapped[1] : raw);
}

@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  constructor(
    @InjectThrottlerOptions() options: ThrottlerModuleOptions,
    @InjectThrottlerStorage() storage: ThrottlerStorage,
    reflector: Reflector,
    private readonly tokens: TokenRegistry,
  ) {
    super(options, storage, reflector);
  }

  protected override async getTracker(request: Record<string, unknown>): Promise<string> {
    const req = request as unknown as Request;
    const principal = principalOf(req.headers.authorization, this.tokens);
    return principal ? `principal:${principal.tokenId}` : `address:${clientAddressOf(req)}`;
  }

  /** One bucket per principal across every route (the library's default is one per route). */
  protected override generateKey(_context: ExecutionContext, tracker: string, throttlerName: string): string {
    return `${throttlerName}:${tracker}`;
  }

  protected override async throwThrottlingException(): Promise<void> {
    throw new HttpException(
      { code: 'RATE_LIMITED', message: 'too many requests from this caller; retry after the seconds in Retry-After', retryable: true },
      HttpStatus.TOO_MANY_REQUESTS,
    );
  }
}
