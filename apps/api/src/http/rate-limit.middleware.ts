/**
 * Rate limiting per caller: a token bucket per bearer token (per client address without one). Over the limit the
 * answer is 429 with Retry-After (seconds), before any work is done. /health and /metrics are not limited.
 */
import { UNLIMITED_PATHS } from '../openapi-completion';
import { createHash } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';

export interface RateLimit {
  perSecond: number;
  burst: number;
}

interface Bucket {
  tokens: number;
  at: number;
}

const EXEMPT = new Set(UNLIMITED_PATHS);

export function rateLimiting(limit: RateLimit, now: () => number = () => Date.now()) {
  const buckets = new Map<string, Bucket>();
  return (request: Request, response: Response, next: NextFunction): void => {
    if (limit.perSecond <= 0 || EXEMPT.has(request.path)) return next();
    const auth = request.headers.authorization;
    const key = auth ? createHash('sha256').update(auth).digest('base64url') : `ip:${request.ip}`;
    const t = now();
    const bucket = buckets.get(key) ?? { tokens: limit.burst, at: t };
    bucket.tokens = Math.min(limit.burst, bucket.tokens + ((t - bucket.at) / 1000) * limit.perSecond);
    bucket.at = t;
    buckets.set(key, bucket);
    if (buckets.size > 100_000) buckets.clear();
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return next();
    }
    const retryAfter = Math.max(1, Math.ceil((1 - bucket.tokens) / limit.perSecond));
    response.setHeader('Retry-After', String(retryAfter));
    response.status(429).json({
      statusCode: 429,
      error: 'Too Many Requests',
      code: 'RATE_LIMITED',
      message: `more than ${limit.perSecond} requests per second (burst ${limit.burst}); retry after ${retryAfter} s`,
      retryable: true,
    });
  };
}
