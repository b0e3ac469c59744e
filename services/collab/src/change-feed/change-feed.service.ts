import { Inject, Injectable, type BeforeApplicationShutdown } from '@nestjs/common';
import { Clock, PLATFORM_LOGGER, type Logger } from '@agora/platform';
import { COLLAB_CONFIG, type CollabConfig } from '../common/collab-config.js';
import { DocChangeRepository, type DocChange } from './doc-change.repository.js';

interface Period {
  members: Set<string>;
  updates: number;
  fromSeq: number;
  toSeq: number;
  /** When the period's first update was recorded (ms since epoch). */
  firstAt: number;
  lastAt: number;
  timer: NodeJS.Timeout | undefined;
}

/**
 * Debounced `collab.doc.changed` events, from the replica that accepted the updates: a doc's
 * period closes after `COLLAB_FEED_QUIET_MS` without a new update, or `COLLAB_FEED_MAX_WAIT_MS`
 * after its first one while edits go on, and goes out as one event naming every member whose
 * edits it holds. Never one per keystroke. The live path calls `record` after each append is
 * acknowledged; a period still open when the process dies unannounced is not published (what it
 * announces is in the log all the same).
 */
@Injectable()
export class ChangeFeed implements BeforeApplicationShutdown {
  private readonly periods = new Map<string, Period>();
  private readonly writing = new Set<Promise<void>>();
  private readonly quietMs: number;
  private readonly maxWaitMs: number;
  private stopped = false;

  constructor(
    @Inject(DocChangeRepository) private readonly repo: DocChangeRepository,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(PLATFORM_LOGGER) private readonly logger: Logger,
    @Inject(COLLAB_CONFIG)
    config: Pick<CollabConfig, 'COLLAB_FEED_QUIET_MS' | 'COLLAB_FEED_MAX_WAIT_MS'>,
  ) {
    this.quietMs = config.COLLAB_FEED_QUIET_MS;
    this.maxWaitMs = Math.max(config.COLLAB_FEED_MAX_WAIT_MS, config.COLLAB_FEED_QUIET_MS);
  }

  /**
   * `updates` updates of `members` on `docName` are durable at log sequence `seq`. Cheap and
   * synchronous: called on the live path for every acknowledged batch. Changes without a member
   * (a server's own, such as seeding) are not announced unless members edited in the same period.
   */
  record(docName: string, members: readonly string[], seq: number, updates = 1): void {
    const now = this.clock.now().getTime();
    let period = this.periods.get(docName);
    if (!period) {
      if (members.length === 0) return;
      period = {
        members: new Set(),
        updates: 0,
        fromSeq: seq,
        toSeq: seq,
        firstAt: now,
        lastAt: now,
        timer: undefined,
      };
      this.periods.set(docName, period);
    }
    for (const m of members) period.members.add(m);
    period.updates += updates;
    period.fromSeq = Math.min(period.fromSeq, seq);
    period.toSeq = Math.max(period.toSeq, seq);
    period.lastAt = now;
    // Shutting down: the live path's last appends are announced at once (no timer would fire).
    if (this.stopped) this.close(docName);
    // One timer per period, moved on only when it fires: no timer churn per keystroke.
    else if (!period.timer) this.schedule(docName, period, this.quietMs);
  }

  /** Docs with a period still open (tests, diagnostics). */
  pending(): string[] {
    return [...this.periods.keys()];
  }

  /** Publishes every open period now and waits for every write (shutdown, tests). */
  async flushAll(): Promise<void> {
    for (const docName of [...this.periods.keys()]) this.close(docName);
    while (this.writing.size > 0) await Promise.allSettled([...this.writing]);
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    await this.flushAll();
  }

  private schedule(docName: string, period: Period, delayMs: number): void {
    period.timer = setTimeout(() => this.due(docName, period), Math.max(0, delayMs));
    period.timer.unref();
  }

  private due(docName: string, period: Period): void {
    period.timer = undefined;
    if (this.periods.get(docName) !== period) return;
    const now = this.clock.now().getTime();
    const quietAt = period.lastAt + this.quietMs;
    const latest = period.firstAt + this.maxWaitMs;
    if (now < quietAt && now < latest) {
      this.schedule(docName, period, Math.min(quietAt, latest) - now);
      return;
    }
    this.close(docName);
  }

  private close(docName: string): void {
    const period = this.periods.get(docName);
    if (!period) return;
    this.periods.delete(docName);
    if (period.timer) clearTimeout(period.timer);
    const change: DocChange = {
      docName,
      memberIds: [...period.members].sort(),
      updates: period.updates,
      fromSeq: period.fromSeq,
      toSeq: period.toSeq,
    };
    const write = this.repo
      .publish(change, this.clock.now())
      .catch((err: unknown) => this.failed(change, err));
    this.writing.add(write);
    void write.finally(() => this.writing.delete(write));
  }

  /** The store refused the write: fold the period back in and try again after a quiet period. */
  private failed(change: DocChange, err: unknown): void {
    this.logger.warn(
      { err: err instanceof Error ? err.message : String(err), docName: change.docName },
      'change period not written; retrying',
    );
    if (this.stopped) return;
    const now = this.clock.now().getTime();
    const open = this.periods.get(change.docName);
    if (open) {
      for (const m of change.memberIds) open.members.add(m);
      open.updates += change.updates;
      open.fromSeq = Math.min(open.fromSeq, change.fromSeq);
      return;
    }
    const period: Period = {
      members: new Set(change.memberIds),
      updates: change.updates,
      fromSeq: change.fromSeq,
      toSeq: change.toSeq,
      firstAt: now,
      lastAt: now,
      timer: undefined,
    };
    this.periods.set(change.docName, period);
    this.schedule(change.docName, period, this.quietMs);
  }
}
