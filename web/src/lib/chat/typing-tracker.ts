/**
 * Who is typing in a channel, each until `ttlMs` after their last signal (plain bookkeeping: the
 * store publishes `members()` into its reactive state).
 */
export class TypingTracker {
  #until = new Map<string, number>();
  readonly #ttlMs: number;

  constructor(ttlMs: number) {
    this.#ttlMs = ttlMs;
  }

  /** The member typed at `now`. */
  heard(memberId: string, now: number): void {
    this.#until.set(memberId, now + this.#ttlMs);
  }

  /** The member stopped (sent their message); true when they were typing. */
  stop(memberId: string): boolean {
    return this.#until.delete(memberId);
  }

  /** Forgets those quiet for longer than the ttl. */
  sweep(now: number): void {
    for (const [memberId, until] of this.#until) if (until <= now) this.#until.delete(memberId);
  }

  members(): string[] {
    return [...this.#until.keys()];
  }

  get size(): number {
    return this.#until.size;
  }
}
