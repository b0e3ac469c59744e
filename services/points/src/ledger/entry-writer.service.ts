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
import { ApplyIntentsRepository } from './apply-intents.repository.js';
import { LedgerRepository, nextSeq } from './ledger.repository.js';

/** An entry to write: everything but the bookkeeping fields. */
export type NewEntry = Omit<EntryDoc, 'seq' | 'month'>;

/** How old an apply intent must be before the repair takes it over (its writer is gone by then). */
const ABANDONED_AFTER_MS = 15_000;

/** An apply intent of this process and how many of its entries the balances still have to take. */
interface OpenIntent {
  id: string;
  remaining: number;
}

/** What appending gave one award: the entry stored, and whether the balance still has to take it. */
interface Appended {
  created: boolean;
  entry: EntryDoc;
  intent: OpenIntent | null;
}

/**
 * The two ways an entry reaches the ledger and the balance, each safe against a crash between its
 * writes:
 * - awards (and reversals of awards): an apply intent naming the batch's keys, then the ledger
 *   (its unique key makes a redelivery find it), then the balance (its recent keys make a second
 *   apply a no-op), then the intent dropped. An entry is on its way to the balance exactly while
 *   an intent names it: a redelivery that finds the entry stored applies it again only then;
 * - guarded debits (charges, corrections, admin reversals), which must never take a balance below
 *   zero: balance first, conditionally, carrying the debit as a pending intent, then the entry,
 *   then the intent dropped.
 * The repair finishes either half-done write: at start, every POINTS_REPAIR_INTERVAL_MS, and in a
 * rebuild.
 *
 * Awards written in the same turn of the event loop (a batch of events, handled together) share
 * each step: one intent and one insert of all their entries, one write per member's balance, one
 * delete of the intents done.
 */
@Injectable()
export class EntryWriter implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer: NodeJS.Timeout | undefined;
  private readonly appends = new Coalescer((entries: EntryDoc[]) => this.appendMany(entries));
  private readonly applies = new Coalescer(async (changes: Change[]) =>
    this.balances.applyMany(changes, (await this.rules.active()).levels),
  );
  private readonly closes = new Coalescer(async (ids: string[]) => {
    await this.intents.close(ids);
    return ids;
  });

  constructor(
    private readonly ledger: LedgerRepository,
    private readonly intents: ApplyIntentsRepository,
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
    const {
      created,
      entry: stored,
      intent,
    } = await this.appends.call({
      ...entry,
      seq: nextSeq(entry.at),
      month: monthOf(entry.at),
    });
    if (!intent) return { created, entry: stored, balance: null };
    const outcome = await this.applies.call(changeOf(stored));
    // The last of the intent's entries closes it; one that failed leaves it to the repair.
    intent.remaining -= 1;
    if (intent.remaining === 0) await this.closes.call(intent.id);
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
      const abandoned = await this.intents.abandoned(ABANDONED_AFTER_MS, 20);
      for (const intent of abandoned) {
        // The keys whose entries exist (a crash may have come before the insert).
        const entries = [...(await this.ledger.getMany(intent.keys)).values()];
        const outcomes = await this.balances.applyMany(
          entries.map(changeOf),
          (await this.rules.active()).levels,
        );
        repaired += outcomes.filter((o) => o.kind === 'applied').length;
        await this.intents.close([intent._id]);
      }
      if (abandoned.length < 20) break;
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

  /**
   * The entries not stored yet, named by one intent, then inserted together. An entry found stored
   * goes on to the balance only when another intent names it (still on its way: a redelivery while
   * its batch runs, or after a crash); one named by none is in the balance already. The intent
   * names only keys not stored when it was opened, so its repair never applies an old entry (one
   * whose key the balance may no longer remember) a second time.
   */
  private async appendMany(entries: readonly EntryDoc[]): Promise<Appended[]> {
    const before = await this.ledger.getMany(entries.map((e) => e._id));
    // Each new key once (the same award twice in a batch is written by its first).
    const fresh = [...new Map(entries.filter((e) => !before.has(e._id)).map((e) => [e._id, e]))];
    const id = fresh.length > 0 ? await this.intents.open(fresh.map(([key]) => key)) : null;
    const inserted = await this.ledger.appendMany(fresh.map(([, e]) => e));
    const stored = new Map(before);
    const created = new Set<string>();
    inserted.forEach((a) => {
      stored.set(a.entry._id, a.entry);
      if (a.created) created.add(a.entry._id);
    });
    const found = [...stored.keys()].filter((key) => !created.has(key));
    const held = found.length > 0 ? await this.intents.held(found, id) : new Set<string>();
    const intent: OpenIntent = { id: id ?? '', remaining: 0 };
    const out = entries.map((e): Appended => {
      const mine = created.delete(e._id);
      const pending = mine || held.delete(e._id);
      if (pending) intent.remaining += 1;
      return { created: mine, entry: stored.get(e._id) ?? e, intent: pending ? intent : null };
    });
    if (id && intent.remaining === 0) await this.intents.close([id]);
    return out;
  }
}

/** What an entry does to its member's balance. */
function changeOf(e: EntryDoc): Change {
  return {
    key: e._id,
    memberId: e.memberId,
    rule: e.rule,
    points: e.points,
    sourceType: e.sourceType,
    sourceId: e.sourceId,
    at: e.at,
  };
}
