import {
  Inject,
  Injectable,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { PLATFORM_LOGGER, type Logger } from '@agora/platform';
import type { PendingDebit } from '../balances/balance.schema.js';
import type { ApplyOutcome, Change } from '../balances/balance-change.js';
import { BalanceMovesRepository } from '../balances/balance-moves.repository.js';
import { BalanceRepository } from '../balances/balance.repository.js';
import { monthOf } from '../balances/levels.js';
import { Coalescer } from '../common/coalescer.js';
import { POINTS_CONFIG, type PointsConfig } from '../common/points-config.js';
import { RulesService } from '../rules/rules.service.js';
import type { EntryDoc } from './entry.schema.js';
import { LedgerRepository, nextSeq } from './ledger.repository.js';

/** An entry to write: everything but the bookkeeping fields. */
export type NewEntry = Omit<EntryDoc, 'seq' | 'month' | 'applied'>;

/**
 * The two ways an entry reaches the ledger and the balance, each safe against a crash between its
 * two writes:
 * - awards (and reversals of awards): ledger first (its unique key makes a redelivery find it),
 *   then the balance (its recent keys make a second apply a no-op), then `applied`;
 * - guarded debits (charges, corrections, admin reversals), which must never take a balance below
 *   zero: balance first, conditionally, carrying the debit as a pending intent, then the entry,
 *   then the intent dropped.
 * The repair finishes either half-done write: at start, every POINTS_REPAIR_INTERVAL_MS, and in a
 * rebuild.
 *
 * Awards written in the same turn of the event loop (a batch of events, handled together) share
 * each step: one insert of all their entries, one write per member's balance, one `applied` mark.
 */
@Injectable()
export class EntryWriter implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer: NodeJS.Timeout | undefined;
  private readonly appends = new Coalescer((entries: EntryDoc[]) =>
    this.ledger.appendMany(entries),
  );
  private readonly applies = new Coalescer(async (changes: Change[]) =>
    this.balances.applyMany(changes, (await this.rules.active()).levels),
  );
  private readonly marks = new Coalescer(async (keys: string[]) => {
    await this.ledger.markApplied(keys);
    return keys;
  });

  constructor(
    private readonly ledger: LedgerRepository,
    private readonly balances: BalanceRepository,
    private readonly moves: BalanceMovesRepository,
    private readonly rules: RulesService,
    @Inject(POINTS_CONFIG) private readonly config: PointsConfig,
    @Inject(PLATFORM_LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    const tick = () => {
      void this.repair()
        .catch((err: unknown) => this.logger.warn({ err: String(err) }, 'points repair failed'))
        .finally(() => {
          this.timer = setTimeout(tick, this.config.POINTS_REPAIR_INTERVAL_MS);
          this.timer.unref();
        });
    };
    this.timer = setTimeout(tick, 0);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearTimeout(this.timer);
  }

  /** Writes an award once; a second call with the same key only finishes what the first left. */
  async award(
    entry: NewEntry,
  ): Promise<{ created: boolean; entry: EntryDoc; balance: number | null }> {
    const { created, entry: stored } = await this.appends.call({
      ...entry,
      seq: nextSeq(entry.at),
      month: monthOf(entry.at),
      applied: false,
    });
    if (stored.applied) return { created, entry: stored, balance: null };
    const outcome = await this.applyEntry(stored);
    return { created, entry: stored, balance: outcome.balance };
  }

  /** A debit that never takes the balance below zero; `insufficient` when it would. */
  async debit(entry: NewEntry): Promise<{ outcome: ApplyOutcome; entry: EntryDoc }> {
    const { levels } = await this.rules.active();
    const pending: PendingDebit = {
      key: entry._id,
      rule: entry.rule,
      points: entry.points,
      reason: entry.reason ?? '',
      sourceType: entry.sourceType,
      sourceId: entry.sourceId,
      at: entry.at,
    };
    const outcome = await this.balances.apply(
      {
        key: entry._id,
        memberId: entry.memberId,
        rule: entry.rule,
        points: entry.points,
        sourceType: entry.sourceType,
        sourceId: entry.sourceId,
        at: entry.at,
      },
      levels,
      { guard: true, pending },
    );
    const full: EntryDoc = {
      ...entry,
      seq: nextSeq(entry.at),
      month: monthOf(entry.at),
      balanceAfter: outcome.balance,
      applied: true,
    };
    if (outcome.kind === 'insufficient') return { outcome, entry: full };
    const { entry: stored } = await this.ledger.append(full);
    await this.balances.settle(entry.memberId, entry._id);
    return { outcome, entry: stored };
  }

  /** Finishes entries and debits a crash left half-written; returns how many. */
  async repair(): Promise<number> {
    let repaired = 0;
    for (;;) {
      const batch = await this.ledger.unapplied(200);
      if (batch.length === 0) break;
      const outcomes = await Promise.all(batch.map((e) => this.applyEntry(e)));
      repaired += outcomes.filter((o) => o.kind === 'applied').length;
      if (batch.length < 200) break;
    }
    for (const doc of await this.balances.withPending(500)) {
      for (const p of doc.pending) {
        const { created } = await this.ledger.append({
          _id: p.key,
          memberId: doc._id,
          rule: p.rule,
          ruleVersion: 0,
          points: p.points,
          sourceType: p.sourceType,
          sourceId: p.sourceId,
          reason: p.reason,
          at: p.at,
          month: monthOf(p.at),
          seq: nextSeq(p.at),
          fromMember: null,
          applied: true,
        });
        if (created) repaired += 1;
        await this.balances.settle(doc._id, p.key);
      }
    }
    // Leaderboard histogram moves a crash left in balances.
    repaired += await this.moves.repair();
    if (repaired > 0) this.logger.info({ repaired }, 'points repair finished half-written entries');
    return repaired;
  }

  /** The balance takes the entry (once), then the entry is marked applied. */
  private async applyEntry(e: EntryDoc): Promise<ApplyOutcome> {
    const outcome = await this.applies.call({
      key: e._id,
      memberId: e.memberId,
      rule: e.rule,
      points: e.points,
      sourceType: e.sourceType,
      sourceId: e.sourceId,
      at: e.at,
    });
    await this.marks.call(e._id);
    return outcome;
  }
}
