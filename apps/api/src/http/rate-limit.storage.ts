/**
 * The rate limiter's memory: one token bucket per principal (or client address), in an LRU cache of bounded
 * size. When it is full the least recently used bucket goes, one at a time; an active principal's bucket stays.
 * Time comes from the injected clock, so tests move it instead of waiting.
 */
import type { ThrottlerStorage } from '@nestjs/throttler';
import { LRUCache } from 'lru-cache';

type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

interface Bucket {
  tokens: number;
  at: number;
}

/** Buckets kept at most by default: about 100 bytes each, so some 10 MB when full. */
export const DEFAULT_MAX_BUCKETS = 100_000;

export class TokenBucketStorage implements ThrottlerStorage {
  private readonly buckets: LRUCache<string, Bucket>;

  constructor(
    private readonly nowMs: () => number,
    readonly maxBuckets: number = DEFAULT_MAX_BUCKETS,
  ) {
    this.buckets = new LRUCache<string, Bucket>({ max: maxBuckets });
  }

  /** How many buckets are kept now (never more than maxBuckets). */
  get size(): number {
    return this.buckets.size;
  }

  /**
   * Takes one token from the key's bucket. `limit` is the bucket's size (the burst) and it refills `limit` tokens
   * per `ttl` milliseconds; the throttler's block duration is not used, a bucket refills on its own.
   */
  async increment(key: string, ttl: number, limit: number): Promise<ThrottlerStorageRecord> {
    const perMs = limit / ttl;
    const now = this.nowMs();
    const bucket = this.buckets.get(key) ?? { tokens: limit, at: now };
    bucket.tokens = Math.min(limit, bucket.tokens + Math.max(0, now - bucket.at) * perMs);
    bucket.at = now;
    this.buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      const used = limit - bucket.tokens;
      return { totalHits: Math.ceil(used), timeToExpire: Math.ceil(used / perMs / 1000), isBlocked: false, timeToBlockExpire: 0 };
    }
    const retryAfter = Math.max(1, Math.ceil((1 - bucket.tokens) / perMs / 1000));
    return { totalHits: limit + 1, timeToExpire: retryAfter, isBlocked: true, timeToBlockExpire: retryAfter };
  }
}
