import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { Model } from 'mongoose';
import { MongoService } from '@agora/platform';
import { cellsOf, sumMoves, type Move } from '../leaderboard/histogram-buckets.js';
import { HistogramRepository } from '../leaderboard/histogram.repository.js';
import { BALANCE_COLLECTION, balanceSchema, type BalanceDoc } from './balance.schema.js';

/** A batch id: its time first (base 36, fixed width), so ids sort by age. */
export function newBatchId(now = Date.now()): string {
  return `${stampOf(now)}-${randomBytes(6).toString('hex')}`;
}

/** The time part of a batch id: ids of batches begun before `ms` sort below it. */
export function stampOf(ms: number): string {
  return ms.toString(36).padStart(9, '0');
}

/** A crash's leftovers are taken over once this old (the writer has long finished by then). */
const ABANDONED_AFTER_MS = 15_000;

/**
 * Carries the moves balance writes kept in their documents into the leaderboard histograms, in
 * four idempotent steps: the batch's moves summed and recorded (first record wins), folded into
 * each board (once per board), pulled from the balances, the record dropped. A crash anywhere
 * leaves the moves in the balances (or the record), which the repair finishes the same way.
 */
@Injectable()
export class BalanceMovesRepository {
  private readonly model: Model<BalanceDoc>;

  constructor(
    mongo: MongoService,
    private readonly histograms: HistogramRepository,
  ) {
    const c = mongo.connection;
    this.model =
      (c.models['Balance'] as Model<BalanceDoc> | undefined) ??
      c.model<BalanceDoc>('Balance', balanceSchema, BALANCE_COLLECTION);
  }

  /** Folds batch `b`, whose writes that landed moved `moves` for `members`. */
  async finish(b: string, members: readonly string[], moves: readonly (readonly Move[])[]) {
    if (members.length === 0) return;
    const batch = await this.histograms.record({
      _id: b,
      moves: sumMoves(moves),
      members: [...members],
    });
    await this.histograms.fold(batch);
    await this.model
      .updateMany({ _id: { $in: batch.members } }, { $pull: { moves: { b } } })
      .exec();
    await this.histograms.forget(b);
  }

  /** Finishes batches a crash left (older than ABANDONED_AFTER_MS, or all: `everything`). */
  async repair(everything = false): Promise<number> {
    const before = `${stampOf(Date.now() - (everything ? -60_000 : ABANDONED_AFTER_MS))}`;
    let finished = 0;
    for (;;) {
      const docs = await this.model
        // Both bounds: a range over the batch ids only (not the balances without moves).
        .find({ 'moves.b': { $gt: '', $lt: before } }, { moves: 1 })
        .limit(200)
        .lean<Array<Pick<BalanceDoc, '_id' | 'moves'>>>()
        .exec();
      const ids = new Set(docs.flatMap((d) => d.moves.map((m) => m.b).filter((b) => b < before)));
      if (ids.size === 0) return finished;
      for (const b of ids) {
        const recorded = await this.histograms.batch(b);
        if (recorded) {
          await this.finish(b, recorded.members, []);
        } else {
          const all = await this.model
            .find({ 'moves.b': b }, { moves: 1 })
            .lean<Array<Pick<BalanceDoc, '_id' | 'moves'>>>()
            .exec();
          await this.finish(
            b,
            all.map((d) => d._id),
            all.map((d) => d.moves.find((m) => m.b === b)?.d ?? []),
          );
        }
        finished += 1;
      }
    }
  }

  /**
   * Sets every histogram from the balances as they are (the rebuild), once pending moves are
   * folded. Exact when no award is being applied meanwhile (a rebuild is a maintenance step).
   */
  async recompute(): Promise<void> {
    await this.repair(true);
    const counts = new Map<string, Map<number, number>>();
    const cursor = this.model
      .find({}, { balance: 1, month: 1, monthPoints: 1, country: 1 })
      .lean<Array<Pick<BalanceDoc, 'balance' | 'month' | 'monthPoints' | 'country'>>>()
      .cursor({ batchSize: 2000 });
    for await (const f of cursor) {
      for (const cell of cellsOf(f)) {
        const cut = cell.lastIndexOf('|');
        const board = cell.slice(0, cut);
        const lo = Number(cell.slice(cut + 1));
        const row = counts.get(board) ?? new Map<number, number>();
        row.set(lo, (row.get(lo) ?? 0) + 1);
        counts.set(board, row);
      }
    }
    await this.histograms.replaceAll(counts);
  }
}
