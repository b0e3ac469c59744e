/**
 * A token bucket: `burst` tokens at most, refilled at `ratePerS`. One per connection for messages
 * and one for bytes; a take that finds too few tokens means the sender floods.
 */
export class RateBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly ratePerS: number,
    private readonly burst: number,
    now: number = Date.now(),
  ) {
    this.tokens = burst;
    this.last = now;
  }

  /** Takes `n` tokens if there are that many (after refilling for the time passed). */
  take(n: number, now: number = Date.now()): boolean {
    if (now > this.last) {
      this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) * this.ratePerS) / 1000);
      this.last = now;
    }
    if (this.tokens < n) return false;
    this.tokens -= n;
    return true;
  }
}
