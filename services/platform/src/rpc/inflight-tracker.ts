/** Counts work in progress so shutdown can wait for it to finish. */
export class InflightTracker {
  private count = 0;
  private waiters: (() => void)[] = [];
  private endWaiters: (() => void)[] = [];

  get size(): number {
    return this.count;
  }

  begin(): () => void {
    this.count += 1;
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      this.count -= 1;
      for (const w of this.endWaiters.splice(0)) w();
      if (this.count === 0) for (const w of this.waiters.splice(0)) w();
    };
  }

  /** Resolves when the next piece of work ends. */
  next(): Promise<void> {
    return new Promise((resolve) => this.endWaiters.push(resolve));
  }

  /** Resolves when nothing is in flight. */
  idle(): Promise<void> {
    if (this.count === 0) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }
}
