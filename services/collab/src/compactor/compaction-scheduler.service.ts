import {
  Inject,
  Injectable,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { Clock, PLATFORM_LOGGER, type Logger } from '@agora/platform';
import { COLLAB_CONFIG, type CollabConfig } from '../common/collab-config.js';
import { Compactor } from './compactor.service.js';
import { LogStatsRepository } from './log-stats.repository.js';

interface Seen {
  entries: number;
  /** When the doc's entry count last changed (ms since epoch). */
  changedAt: number;
  /** After a failure, not before this (ms since epoch). */
  retryAt: number;
  failures: number;
  /** Compacted already at this count (the entry a compaction keeps): not due until it changes. */
  settled: boolean;
}

type SchedulerConfig = Pick<
  CollabConfig,
  | 'COLLAB_COMPACTOR'
  | 'COLLAB_COMPACT_UPDATES'
  | 'COLLAB_COMPACT_IDLE_MS'
  | 'COLLAB_COMPACT_POLL_MS'
>;

const MAX_RETRY_MS = 10 * 60_000;

/**
 * The compactor's worker loop (`COLLAB_COMPACTOR=on`, the default): every poll it reads the log's
 * per-doc entry counts (one request) and compacts, one doc at a time, each doc that has
 * `COLLAB_COMPACT_UPDATES` entries or more, or any entry and no new one for
 * `COLLAB_COMPACT_IDLE_MS`. Every replica may run it; leases keep them off each other's docs.
 */
@Injectable()
export class CompactionScheduler implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly seen = new Map<string, Seen>();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;

  constructor(
    @Inject(Compactor) private readonly compactor: Compactor,
    @Inject(LogStatsRepository) private readonly stats: LogStatsRepository,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(PLATFORM_LOGGER) private readonly logger: Logger,
    @Inject(COLLAB_CONFIG) private readonly config: SchedulerConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.COLLAB_COMPACTOR === 'on') this.schedule();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  /** One pass: which docs are due, and compact them (exposed for tests and tools). */
  async tick(): Promise<string[]> {
    const counts = await this.stats.entriesPerDoc();
    const now = this.clock.now().getTime();
    for (const docName of this.seen.keys()) if (!counts.has(docName)) this.seen.delete(docName);
    const due: [string, number][] = [];
    for (const [docName, entries] of counts) {
      let seen = this.seen.get(docName);
      if (!seen || seen.entries !== entries) {
        seen = {
          entries,
          changedAt: now,
          retryAt: seen?.retryAt ?? 0,
          failures: seen?.failures ?? 0,
          settled: false,
        };
        this.seen.set(docName, seen);
      }
      if (now < seen.retryAt || seen.settled) continue;
      const full = entries >= this.config.COLLAB_COMPACT_UPDATES;
      const idle = now - seen.changedAt >= this.config.COLLAB_COMPACT_IDLE_MS;
      if (full || idle) due.push([docName, entries]);
    }
    // The fullest first: they cost loads the most.
    due.sort((a, b) => b[1] - a[1]);
    const done: string[] = [];
    for (const [docName] of due) {
      if (this.stopped) break;
      try {
        const result = await this.compactor.compact(docName);
        if (result.outcome === 'compacted') {
          done.push(docName);
          this.logger.debug({ docName, ...result }, 'compacted');
          // Counted afresh next pass: the entry kept, and whatever came meanwhile.
          this.seen.delete(docName);
        } else if (result.outcome === 'up-to-date') {
          const seen = this.seen.get(docName);
          if (seen) seen.settled = true;
        }
        // 'busy': another compactor is at it; its purge changes the count we see next.
      } catch (err) {
        const seen = this.seen.get(docName);
        if (seen) {
          seen.failures += 1;
          seen.retryAt =
            now + Math.min(MAX_RETRY_MS, this.config.COLLAB_COMPACT_POLL_MS * 2 ** seen.failures);
        }
        this.logger.warn(
          { docName, err: err instanceof Error ? err.message : String(err) },
          'compaction failed',
        );
      }
    }
    return done;
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.tick()
        .then(() => undefined)
        .catch((err: unknown) => {
          this.logger.warn(
            { err: err instanceof Error ? err.message : String(err) },
            'compaction pass failed',
          );
        })
        .finally(() => {
          this.running = undefined;
          this.schedule();
        });
    }, this.config.COLLAB_COMPACT_POLL_MS);
    this.timer.unref();
  }
}
