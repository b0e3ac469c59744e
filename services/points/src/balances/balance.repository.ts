import { Injectable } from '@nestjs/common';
import type { Model } from 'mongoose';
import {
  indexesReady,
  isDuplicateKey,
  MongoService,
  Outbox,
  type OutboxBulkWrite,
  type OutboxWriter,
} from '@agora/platform';
import type { Level } from '@agora/proto';
import {
  applyChanges,
  emptyFigures,
  keysOf,
  RECENT_KEYS,
  type ApplyOutcome,
  type BalanceFigures,
  type Change,
} from './balance-change.js';
import { movesBetween, type Move } from '../leaderboard/histogram-buckets.js';
import { BalanceMovesRepository, newBatchId } from './balance-moves.repository.js';
import { levelOf } from './levels.js';
import {
  BALANCE_COLLECTION,
  balanceSchema,
  type BalanceDoc,
  type PendingDebit,
} from './balance.schema.js';

/**
 * Changes of one member applied in one write of a batch: few enough that the keys pushed by the
 * writes between an apply and its `applied` mark stay far inside the RECENT_KEYS the balance keeps.
 */
const CHANGES_PER_WRITE = RECENT_KEYS / 5;

/** The balance projection: each change one conditional write on `rev`, with its events. */
@Injectable()
export class BalanceRepository {
  readonly model: Model<BalanceDoc>;
  private readonly writes: OutboxWriter<BalanceDoc>;
  private readonly indexed: Promise<void>;

  constructor(
    mongo: MongoService,
    outbox: Outbox,
    private readonly moves: BalanceMovesRepository,
  ) {
    this.model = mongo.connection.model<BalanceDoc>('Balance', balanceSchema, BALANCE_COLLECTION);
    this.writes = outbox.for(this.model);
    this.indexed = indexesReady(this.model);
  }

  get(memberId: string): Promise<BalanceDoc | null> {
    return this.model.findById(memberId, { outbox: 0 }).lean<BalanceDoc>().exec();
  }

  /**
   * Applies `change` once: a no-op when its key is among the balance's recent keys. `guard`: refuse
   * (insufficient) a change that would take the balance below zero; `pending`: the debit intent
   * written with it, for the repair to finish should the entry not follow.
   */
  async apply(
    change: Change,
    levels: readonly Level[],
    opts: { guard: boolean; pending?: PendingDebit } = { guard: false },
  ): Promise<ApplyOutcome> {
    await this.indexed;
    for (;;) {
      const doc = await this.get(change.memberId);
      if (!doc) {
        await this.create(change.memberId, levels, change.at);
        continue;
      }
      const step = applyChanges(doc, change.memberId, [change], levels, opts.guard);
      const outcome = step.outcomes[0] ?? { kind: 'already', balance: doc.balance };
      if (outcome.kind !== 'applied') return outcome;
      const b = newBatchId();
      const d = movesBetween(doc, step.figures);
      const push: Record<string, unknown> = {
        recent: { $each: step.keys, $slice: -RECENT_KEYS },
        ...movePush(b, d),
      };
      if (opts.pending) push['pending'] = opts.pending;
      const updated = await this.writes.update(
        { _id: change.memberId, rev: doc.rev },
        {
          $set: {
            ...figuresSet(change.memberId, step.figures),
            rev: doc.rev + 1,
            ...(opts.pending ? { hasPending: true } : {}),
          },
          $push: push,
        },
        step.events,
        change.at,
        { projection: { _id: 1 } },
      );
      if (updated) {
        await this.moves.finish(b, d.length > 0 ? [change.memberId] : [], [d]);
        return outcome;
      }
    }
  }

  /**
   * Applies awards of many members with one write per member (all in one round trip), each write
   * conditional on the balance's `rev` and carrying its events; a change whose key the balance
   * already holds is a no-op, as in `apply`. A write that lost a race is computed again from the
   * balance read afresh. Returns each change's outcome, in order.
   */
  async applyMany(changes: readonly Change[], levels: readonly Level[]): Promise<ApplyOutcome[]> {
    await this.indexed;
    const outcomes: ApplyOutcome[] = [];
    const waiting = new Map<string, number[]>();
    changes.forEach((c, i) => waiting.set(c.memberId, [...(waiting.get(c.memberId) ?? []), i]));
    while (waiting.size > 0) {
      const docs = await this.model
        .find({ _id: { $in: [...waiting.keys()] } }, { outbox: 0 })
        .lean<BalanceDoc[]>()
        .exec();
      const byId = new Map(docs.map((d) => [d._id, d]));
      const b = newBatchId();
      const writes: OutboxBulkWrite<BalanceDoc>[] = [];
      const planned: Array<{ memberId: string; indexes: number[]; keys: string[]; d: Move[] }> = [];
      for (const [memberId, all] of waiting) {
        const indexes = all.slice(0, CHANGES_PER_WRITE);
        const mine = indexes.map((i) => changes[i] as Change);
        const doc = byId.get(memberId);
        const at = mine[mine.length - 1]?.at ?? new Date();
        const step = applyChanges(doc ?? emptyFigures(levels, at), memberId, mine, levels);
        step.outcomes.forEach((o, j) => (outcomes[indexes[j] as number] = o));
        if (step.keys.length === 0) {
          advance(waiting, memberId, indexes.length);
          continue;
        }
        const set = figuresSet(memberId, step.figures);
        const d = movesBetween(doc ?? null, step.figures);
        writes.push(
          doc
            ? {
                filter: { _id: memberId, rev: doc.rev },
                update: {
                  $set: { ...set, rev: doc.rev + 1 },
                  $push: {
                    recent: { $each: step.keys, $slice: -RECENT_KEYS },
                    ...movePush(b, d),
                  },
                },
                events: step.events,
                occurredAt: at,
              }
            : {
                insert: {
                  _id: memberId,
                  ...set,
                  recent: step.figures.recent,
                  rev: 1,
                  pending: [],
                  hasPending: false,
                  moves: d.length > 0 ? [{ b, d }] : [],
                },
                events: step.events,
                occurredAt: at,
              },
        );
        planned.push({ memberId, indexes, keys: step.keys, d });
      }
      const result = await this.writes.bulk(writes);
      const updates = writes.filter((w) => !('insert' in w)).length;
      // Every write landed unless an insert was refused or an update matched nothing; then the
      // balances tell: a write landed when they hold its move (or, without one, all its keys);
      // changes whose keys are all held are done, whoever applied them.
      const after =
        result.duplicates.size === 0 && result.matched === updates
          ? undefined
          : await this.heldOf(planned.map((p) => p.memberId));
      const landed = planned.filter((p) => !after || after.get(p.memberId)?.batches.has(b));
      await this.moves.finish(
        b,
        landed.filter((p) => p.d.length > 0).map((p) => p.memberId),
        landed.map((p) => p.d),
      );
      for (const p of planned) {
        const recent = after?.get(p.memberId)?.recent;
        if (!after || (recent && p.keys.every((k) => recent.has(k))))
          advance(waiting, p.memberId, p.indexes.length);
      }
    }
    return outcomes;
  }

  /** Drops a debit intent once its entry is in the ledger. */
  async settle(memberId: string, key: string): Promise<void> {
    await this.model.updateOne({ _id: memberId }, { $pull: { pending: { key } } }).exec();
    await this.model
      .updateOne({ _id: memberId, pending: { $size: 0 } }, { $set: { hasPending: false } })
      .exec();
  }

  withPending(limit: number): Promise<BalanceDoc[]> {
    return this.model
      .find({ hasPending: true }, { outbox: 0 })
      .limit(limit)
      .lean<BalanceDoc[]>()
      .exec();
  }

  /** Records the member's country (for the per-country boards) when it changed. */
  async setCountry(
    memberId: string,
    country: string,
    levels: readonly Level[],
    at: Date,
  ): Promise<void> {
    await this.indexed;
    for (;;) {
      const doc = await this.get(memberId);
      if (!doc) {
        await this.create(memberId, levels, at);
        continue;
      }
      if (doc.country === country) return;
      const b = newBatchId();
      const d = movesBetween(doc, { ...doc, country });
      const res = await this.model
        .updateOne(
          { _id: memberId, rev: doc.rev },
          {
            $set: {
              country,
              rev: doc.rev + 1,
              ...keysOf(memberId, doc.balance, doc.month, doc.monthPoints, country),
            },
            ...(d.length > 0 ? { $push: movePush(b, d) } : {}),
          },
        )
        .exec();
      if (res.modifiedCount === 1) return this.moves.finish(b, [memberId], [d]);
    }
  }

  /** Sets a balance to the ledger's figures (the rebuild found them different). */
  async correct(
    memberId: string,
    balance: number,
    month: string,
    monthPoints: number,
    levels: readonly Level[],
  ): Promise<void> {
    for (;;) {
      const doc = await this.get(memberId);
      if (!doc) return;
      const b = newBatchId();
      const d = movesBetween(doc, { ...doc, balance, month, monthPoints });
      const res = await this.model
        .updateOne(
          { _id: memberId, rev: doc.rev },
          {
            $set: {
              balance,
              month,
              monthPoints,
              level: levelOf(levels, balance).name,
              rev: doc.rev + 1,
              ...keysOf(memberId, balance, month, monthPoints, doc.country),
            },
            ...(d.length > 0 ? { $push: movePush(b, d) } : {}),
          },
        )
        .exec();
      if (res.modifiedCount === 1) return this.moves.finish(b, [memberId], [d]);
    }
  }

  /** Every balance's figures (the rebuild). */
  async figures(): Promise<Array<Pick<BalanceDoc, '_id' | 'balance' | 'month' | 'monthPoints'>>> {
    return this.model
      .find({}, { balance: 1, month: 1, monthPoints: 1 })
      .lean<Array<Pick<BalanceDoc, '_id' | 'balance' | 'month' | 'monthPoints'>>>()
      .exec();
  }

  private async create(memberId: string, levels: readonly Level[], at: Date): Promise<void> {
    const figures = emptyFigures(levels, at);
    const b = newBatchId();
    const d = movesBetween(null, figures);
    try {
      await this.writes.insert(
        {
          _id: memberId,
          ...figuresSet(memberId, figures),
          rev: 0,
          pending: [],
          hasPending: false,
          moves: [{ b, d }],
        },
        [],
        at,
      );
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      return;
    }
    await this.moves.finish(b, [memberId], [d]);
  }

  /** The keys and pending move batches the balances hold now. */
  private async heldOf(
    memberIds: readonly string[],
  ): Promise<Map<string, { recent: Set<string>; batches: Set<string> }>> {
    const docs = await this.model
      .find({ _id: { $in: memberIds } }, { recent: 1, moves: 1 })
      .lean<Array<Pick<BalanceDoc, '_id' | 'recent' | 'moves'>>>()
      .exec();
    return new Map(
      docs.map((d) => [
        d._id,
        // Balances written before histograms existed have no `moves`.
        { recent: new Set(d.recent), batches: new Set((d.moves ?? []).map((m) => m.b)) },
      ]),
    );
  }
}

/** The fields a balance write sets from figures: the figures and the board keys they give. */
function figuresSet(memberId: string, f: BalanceFigures) {
  return {
    balance: f.balance,
    level: f.level,
    month: f.month,
    monthPoints: f.monthPoints,
    country: f.country,
    ...keysOf(memberId, f.balance, f.month, f.monthPoints, f.country),
  };
}

/** The `$push` of a write's histogram move (none when it moves no bucket). */
function movePush(b: string, d: Move[]): Record<string, unknown> {
  return d.length > 0 ? { moves: { b, d } } : {};
}

/** Drops the first `n` waiting changes of a member (done); the member once none is left. */
function advance(waiting: Map<string, number[]>, memberId: string, n: number): void {
  const rest = (waiting.get(memberId) ?? []).slice(n);
  if (rest.length > 0) waiting.set(memberId, rest);
  else waiting.delete(memberId);
}
