import type { Catalog } from './catalog.js';
import type { Journal } from './journal.js';

export interface CompactionPolicy {
  /** Log size that triggers a compaction at once. */
  compactAtBytes: number;
  /**
   * Longest wait between a write that deleted or overwrote data and the compaction that removes
   * the old bytes from disk; writes in between share that one compaction.
   */
  scrubAfterMs: number;
  log: (line: string) => void;
}

/**
 * Decides when the journal is compacted: when the log grows past its limit, and soon after data
 * was removed (a deleted document, an overwritten or `$unset` field, a dropped collection), so
 * that what was erased does not stay in the log for long. One compaction at a time.
 */
export class CompactionScheduler {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  /** The last compaction failed: the next one waits the usual delay instead of looping. */
  private failing = false;
  private closed = false;

  constructor(
    private readonly journal: Journal,
    private readonly catalog: Catalog,
    private readonly policy: CompactionPolicy,
  ) {}

  /** After every journaled write, and once after recovery. */
  check(): void {
    if (this.closed || this.running) return;
    const full = this.journal.logBytes > this.policy.compactAtBytes;
    if (full && !this.failing) this.start();
    else if ((full || this.catalog.erased) && !this.timer) {
      this.timer = setTimeout(() => {
        this.timer = null;
        this.start();
      }, this.policy.scrubAfterMs);
      this.timer.unref();
    }
  }

  /** Compacts now and waits (start-up of a large log). */
  async compactNow(): Promise<void> {
    this.start();
    await this.running;
  }

  /** Clean shutdown: let a running compaction finish, then scrub once more if anything was erased. */
  async close(): Promise<void> {
    this.closed = true;
    this.clearTimer();
    await this.running;
    if (this.catalog.erased) await this.compaction();
  }

  private start(): void {
    if (this.running) return;
    this.clearTimer();
    this.running = this.compaction().finally(() => {
      this.running = null;
      this.check();
    });
  }

  private compaction(): Promise<void> {
    return this.journal
      .compact(() => this.catalog.captureState())
      .then(
        () => {
          this.failing = false;
        },
        (err: Error) => {
          // What was erased may still be on disk: try again after the usual delay.
          this.failing = true;
          this.catalog.erased = true;
          this.policy.log(`agora-store: compaction failed: ${err.message}`);
        },
      );
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
