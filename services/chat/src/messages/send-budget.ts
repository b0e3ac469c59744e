/**
 * Per-member send budget: a token bucket per member (in memory, per replica), `burst` messages at
 * once refilled at `perSecond`. Answers how long to wait when empty.
 */
export class SendBudget {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly burst: number,
    private readonly perSecond: number,
    private readonly now: () => number = Date.now,
  ) {}

  take(key: string): { allowed: true } | { allowed: false; retryAfterSeconds: number } {
    const t = this.now();
    const b = this.buckets.get(key) ?? { tokens: this.burst, at: t };
    b.tokens = Math.min(this.burst, b.tokens + ((t - b.at) / 1000) * this.perSecond);
    b.at = t;
    if (b.tokens < 1) {
      this.buckets.set(key, b);
      return { allowed: false, retryAfterSeconds: Math.ceil((1 - b.tokens) / this.perSecond) };
    }
    b.tokens -= 1;
    this.buckets.set(key, b);
    // Full buckets carry no state: forget them so the map holds only recent senders.
    if (this.buckets.size > 10_000) this.sweep(t);
    return { allowed: true };
  }

  /** Returns what `take` spent on a send that turned out to be a retry (which spends nothing). */
  giveBack(key: string): void {
    const b = this.buckets.get(key);
    if (b) b.tokens = Math.min(this.burst, b.tokens + 1);
  }

  private sweep(t: number): void {
    for (const [key, b] of this.buckets)
      if (b.tokens + ((t - b.at) / 1000) * this.perSecond >= this.burst) this.buckets.delete(key);
  }
}
