/**
 * Token buckets (one per key and purpose): `capacity` tokens, refilled continuously at
 * `refillPerSec`. Pure in-memory state with an injectable clock.
 */
export interface BucketPolicy {
  capacity: number;
  refillPerSec: number;
}

export interface TakeResult {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Seconds until one token is available (0 when allowed). */
  retryAfterSec: number;
  /** Seconds until the bucket is full again. */
  resetSec: number;
}

export class TokenBuckets {
  private readonly buckets = new Map<string, { tokens: number; atMs: number }>();

  constructor(
    private readonly policy: BucketPolicy,
    private readonly nowMs: () => number = () => performance.now(),
    private readonly maxEntries = 100_000,
  ) {}

  take(id: string, cost = 1): TakeResult {
    const now = this.nowMs();
    const { capacity, refillPerSec } = this.policy;
    const prev = this.buckets.get(id);
    const tokens = prev ? Math.min(capacity, prev.tokens + ((now - prev.atMs) / 1000) * refillPerSec) : capacity;
    const allowed = tokens >= cost;
    const left = allowed ? tokens - cost : tokens;
    if (!prev && this.buckets.size >= this.maxEntries) this.evictFull(now);
    this.buckets.set(id, { tokens: left, atMs: now });
    return {
      allowed,
      limit: capacity,
      remaining: Math.floor(left),
      retryAfterSec: allowed ? 0 : Math.ceil((cost - left) / refillPerSec),
      resetSec: Math.ceil((capacity - left) / refillPerSec),
    };
  }

  /** Gives back tokens taken by a request that another bucket then refused (never beyond capacity). */
  refund(id: string, cost = 1): void {
    const b = this.buckets.get(id);
    if (b) b.tokens = Math.min(this.policy.capacity, b.tokens + cost);
  }

  /** Drops buckets that have refilled completely (they carry no state). */
  private evictFull(now: number): void {
    for (const [id, b] of this.buckets) {
      if (b.tokens + ((now - b.atMs) / 1000) * this.policy.refillPerSec >= this.policy.capacity) this.buckets.delete(id);
    }
  }
}
