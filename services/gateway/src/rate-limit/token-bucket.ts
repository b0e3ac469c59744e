export interface BucketSettings {
  /** Largest burst: a full bucket holds this many tokens. */
  burst: number;
  /** Tokens added back per second. */
  perSecond: number;
}

export interface TakeResult {
  allowed: boolean;
  /** Whole seconds until one token is back (0 when allowed). */
  retryAfterSeconds: number;
  remaining: number;
}

interface Bucket {
  tokens: number;
  updatedAt: number;
}

/**
 * In-memory token buckets keyed by caller (IP or member). State lives in this process only, so
 * with N gateway replicas a caller may get up to N times the budget; the limit is a guard rail
 * against floods, not an exact quota.
 */
export class TokenBuckets {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly settings: BucketSettings,
    private readonly now: () => number = () => Date.now(),
    /** Idle buckets are dropped once the map grows past this many keys. */
    private readonly maxKeys = 100_000,
  ) {
    if (!(settings.burst >= 1) || !(settings.perSecond > 0))
      throw new Error('burst must be ≥ 1 and perSecond > 0');
  }

  take(key: string, cost = 1): TakeResult {
    const now = this.now();
    const bucket = this.refilled(key, now);
    if (bucket.tokens >= cost) {
      bucket.tokens -= cost;
      return { allowed: true, retryAfterSeconds: 0, remaining: Math.floor(bucket.tokens) };
    }
    const missing = cost - bucket.tokens;
    return {
      allowed: false,
      retryAfterSeconds: Math.max(1, Math.ceil(missing / this.settings.perSecond)),
      remaining: 0,
    };
  }

  /** Forgets a key whose caller is gone (a closed socket). */
  forget(key: string): void {
    this.buckets.delete(key);
  }

  get size(): number {
    return this.buckets.size;
  }

  private refilled(key: string, now: number): Bucket {
    let bucket = this.buckets.get(key);
    if (!bucket) {
      if (this.buckets.size >= this.maxKeys) this.sweep(now);
      bucket = { tokens: this.settings.burst, updatedAt: now };
      this.buckets.set(key, bucket);
      return bucket;
    }
    const elapsed = Math.max(0, now - bucket.updatedAt) / 1000;
    bucket.tokens = Math.min(
      this.settings.burst,
      bucket.tokens + elapsed * this.settings.perSecond,
    );
    bucket.updatedAt = now;
    return bucket;
  }

  /** Drops buckets that have refilled completely (they carry no information). */
  private sweep(now: number): void {
    const full = (this.settings.burst / this.settings.perSecond) * 1000;
    for (const [key, b] of this.buckets) if (now - b.updatedAt >= full) this.buckets.delete(key);
    // Still too many (a flood of distinct keys): forget the oldest half rather than grow forever.
    if (this.buckets.size >= this.maxKeys) {
      let drop = Math.floor(this.buckets.size / 2);
      for (const key of this.buckets.keys()) {
        if (drop-- <= 0) break;
        this.buckets.delete(key);
      }
    }
  }
}
