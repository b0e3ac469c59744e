import { Injectable } from '@nestjs/common';
import type { Model } from 'mongoose';
import {
  indexesReady,
  isDuplicateKey,
  MongoService,
  Outbox,
  pendingEvent,
  type OutboxWriter,
  type PendingEvent,
} from '@agora/platform';
import { pointsEvents, type Level } from '@agora/proto';
import { boardKey, prefixOf } from '../leaderboard/board-keys.js';
import { levelOf, monthOf } from './levels.js';
import {
  BALANCE_COLLECTION,
  balanceSchema,
  type BalanceDoc,
  type PendingDebit,
} from './balance.schema.js';

/** How many applied keys a balance remembers: far more than can arrive between two steps of one apply. */
export const RECENT_KEYS = 500;

/** What one entry does to a balance. */
export interface Change {
  key: string;
  memberId: string;
  rule: string;
  points: number;
  sourceType: string;
  sourceId: string;
  at: Date;
}

export type ApplyOutcome =
  | { kind: 'applied'; balance: number }
  | { kind: 'already'; balance: number }
  | { kind: 'insufficient'; balance: number };

/** Keys of every board a balance is on. */
export function keysOf(
  memberId: string,
  balance: number,
  month: string,
  monthPoints: number,
  country: string | null,
): Pick<BalanceDoc, 'kAll' | 'kMonth' | 'kCountry' | 'kCountryMonth'> {
  return {
    kAll: boardKey(0, balance, memberId),
    kMonth: boardKey(prefixOf('month', month, null), monthPoints, memberId),
    kCountry: country ? boardKey(prefixOf('country', month, country), balance, memberId) : null,
    kCountryMonth: country
      ? boardKey(prefixOf('country-month', month, country), monthPoints, memberId)
      : null,
  };
}

/** The balance projection: each change one conditional write on `rev`, with its events. */
@Injectable()
export class BalanceRepository {
  readonly model: Model<BalanceDoc>;
  private readonly writes: OutboxWriter<BalanceDoc>;
  private readonly indexed: Promise<void>;

  constructor(mongo: MongoService, outbox: Outbox) {
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
      if (doc.recent.includes(change.key)) return { kind: 'already', balance: doc.balance };
      const balance = doc.balance + change.points;
      if (opts.guard && change.points < 0 && balance < 0)
        return { kind: 'insufficient', balance: doc.balance };
      const entryMonth = monthOf(change.at);
      let { month, monthPoints } = doc;
      if (entryMonth === month) monthPoints += change.points;
      else if (entryMonth > month) {
        month = entryMonth;
        monthPoints = change.points;
      }
      const level = levelOf(levels, balance).name;
      const events: PendingEvent[] = [
        pendingEvent(pointsEvents.pointsAwarded, null, change.memberId, {
          memberId: change.memberId,
          entryId: change.key,
          rule: change.rule,
          points: change.points,
          balance,
          sourceType: change.sourceType as never,
          sourceId: change.sourceId,
        }),
      ];
      if (level !== doc.level)
        events.push(
          pendingEvent(pointsEvents.levelChanged, null, change.memberId, {
            memberId: change.memberId,
            level,
            previous: doc.level,
            direction: balance > doc.balance ? 'up' : 'down',
            balance,
          }),
        );
      const push: Record<string, unknown> = {
        recent: { $each: [change.key], $slice: -RECENT_KEYS },
      };
      if (opts.pending) push['pending'] = opts.pending;
      const updated = await this.writes.update(
        { _id: change.memberId, rev: doc.rev },
        {
          $set: {
            balance,
            level,
            month,
            monthPoints,
            rev: doc.rev + 1,
            ...(opts.pending ? { hasPending: true } : {}),
            ...keysOf(change.memberId, balance, month, monthPoints, doc.country),
          },
          $push: push,
        },
        events,
        change.at,
        { projection: { _id: 1 } },
      );
      if (updated) return { kind: 'applied', balance };
    }
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
      const res = await this.model
        .updateOne(
          { _id: memberId, rev: doc.rev },
          {
            $set: {
              country,
              rev: doc.rev + 1,
              ...keysOf(memberId, doc.balance, doc.month, doc.monthPoints, country),
            },
          },
        )
        .exec();
      if (res.modifiedCount === 1) return;
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
          },
        )
        .exec();
      if (res.modifiedCount === 1) return;
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
    const month = monthOf(at);
    try {
      await this.writes.insert(
        {
          _id: memberId,
          balance: 0,
          level: levelOf(levels, 0).name,
          month,
          monthPoints: 0,
          country: null,
          rev: 0,
          recent: [],
          pending: [],
          hasPending: false,
          ...keysOf(memberId, 0, month, 0, null),
        },
        [],
        at,
      );
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
    }
  }
}
