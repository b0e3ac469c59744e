/**
 * Gathers small writes into one: `add(item)` resolves once a write holding the item is done.
 * Items added in the same tick (or within `lingerMs` of the first, for writes nobody waits on) go
 * together; while a write is in flight the next items wait and go in the one after it (at most one
 * in flight, at most `max` items each). Under light load a write leaves at once, under heavy load
 * each carries many items — one round trip and one store command instead of one per item.
 */
export class WriteBatcher<T> {
  private queued: { item: T; done: (err?: Error) => void }[] = [];
  private flushing = false;
  private scheduled = false;
  /** Settles once the last item added is written (or its write failed): every earlier one is too. */
  private last: Promise<void> = Promise.resolve();
  /** Readers waiting in `settle`: meanwhile each write follows the last one without a linger. */
  private settling = 0;

  constructor(
    private readonly write: (items: T[]) => Promise<void>,
    private readonly options: { max?: number; lingerMs?: number } = {},
  ) {}

  add(item: T): Promise<void> {
    const added = new Promise<void>((resolve, reject) => {
      this.queued.push({ item, done: (err) => (err === undefined ? resolve() : reject(err)) });
      this.schedule();
    });
    this.last = added.then(
      () => undefined,
      () => undefined,
    );
    return added;
  }

  /**
   * Resolves once everything added before the call is written — or failed, which each adder hears
   * itself — starting a lingering write at once: a reader that must see these writes waits here.
   */
  async settle(): Promise<void> {
    const last = this.last;
    this.settling += 1;
    try {
      if (!this.flushing && this.queued.length > 0) void this.flush();
      await last;
    } finally {
      this.settling -= 1;
    }
  }

  /** Writes what is waiting now, and what arrives meanwhile (a graceful shutdown). */
  async drain(): Promise<void> {
    while (this.queued.length > 0 || this.flushing) {
      if (!this.flushing) await this.flush();
      else await new Promise((r) => setImmediate(r));
    }
  }

  /** Items waiting for a write (not counting one in flight). */
  get waiting(): number {
    return this.queued.length;
  }

  private schedule(): void {
    if (this.flushing || this.scheduled || this.queued.length === 0) return;
    this.scheduled = true;
    const go = () => {
      this.scheduled = false;
      void this.flush();
    };
    const linger = this.options.lingerMs ?? 0;
    if (linger > 0) setTimeout(go, linger);
    else setImmediate(go);
  }

  private async flush(): Promise<void> {
    if (this.flushing || this.queued.length === 0) return;
    this.flushing = true;
    const batch = this.queued.splice(0, this.options.max ?? 500);
    try {
      await this.write(batch.map((b) => b.item));
      for (const b of batch) b.done();
    } catch (err) {
      const reason = err instanceof Error ? err : new Error(`write failed: ${String(err)}`);
      for (const b of batch) b.done(reason);
    } finally {
      this.flushing = false;
      if (this.settling > 0 && this.queued.length > 0) void this.flush();
      else this.schedule();
    }
  }
}
