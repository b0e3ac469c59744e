import { Injectable } from '@nestjs/common';
import type { Model } from 'mongoose';
import { indexesReady, isDuplicateKey, MongoService } from '@agora/platform';
import {
  histogramBatchSchema,
  histogramSchema,
  type HistogramBatchDoc,
  type HistogramDoc,
} from './histogram.schema.js';

/**
 * Batches a board remembers having folded in: a batch is folded again only by a retry soon after
 * a crash, long before this many more batches pass.
 */
const FOLDS_KEPT = 1000;

/** The leaderboard histograms and the batches of moves on their way into them. */
@Injectable()
export class HistogramRepository {
  private readonly boards: Model<HistogramDoc>;
  private readonly batches: Model<HistogramBatchDoc>;
  private readonly indexed: Promise<void>;

  constructor(mongo: MongoService) {
    this.boards = mongo.connection.model<HistogramDoc>('Histogram', histogramSchema);
    this.batches = mongo.connection.model<HistogramBatchDoc>(
      'HistogramBatch',
      histogramBatchSchema,
    );
    this.indexed = Promise.all([indexesReady(this.boards), indexesReady(this.batches)]).then(
      () => undefined,
    );
  }

  /** The board's bucket counts, by bucket lower bound. */
  async counts(board: string): Promise<Map<number, number>> {
    const doc = await this.boards.findById(board, { counts: 1 }).lean<HistogramDoc>().exec();
    const out = new Map<number, number>();
    for (const [k, n] of Object.entries(doc?.counts ?? {})) out.set(Number(k.slice(1)), n);
    return out;
  }

  /** Records a batch's summed moves; the one recorded first wins (a repair may race the writer). */
  async record(batch: HistogramBatchDoc): Promise<HistogramBatchDoc> {
    await this.indexed;
    try {
      await this.batches.create(batch);
      return batch;
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      const existing = await this.batch(batch._id);
      if (!existing) throw err;
      return existing;
    }
  }

  batch(id: string): Promise<HistogramBatchDoc | null> {
    return this.batches.findById(id).lean<HistogramBatchDoc>().exec();
  }

  /** Adds a recorded batch into each board it moves, once per board whatever the retries. */
  async fold(batch: HistogramBatchDoc): Promise<void> {
    const byBoard = new Map<string, Record<string, number>>();
    for (const [board, lo, n] of batch.moves) {
      const inc = byBoard.get(board) ?? {};
      inc[`counts.b${lo}`] = (inc[`counts.b${lo}`] ?? 0) + n;
      byBoard.set(board, inc);
    }
    await Promise.all(
      [...byBoard].map(([board, inc]) =>
        this.boards
          .updateOne(
            { _id: board, folds: { $ne: batch._id } },
            { $inc: inc, $push: { folds: { $each: [batch._id], $slice: -FOLDS_KEPT } } },
            { upsert: true },
          )
          .exec()
          .catch((err: unknown) => {
            // The board exists and holds the batch already: folded before.
            if (!isDuplicateKey(err)) throw err;
          }),
      ),
    );
  }

  async forget(id: string): Promise<void> {
    await this.batches.deleteOne({ _id: id }).exec();
  }

  /** Sets every board's counts (the rebuild); boards not given are emptied. */
  async replaceAll(counts: ReadonlyMap<string, ReadonlyMap<number, number>>): Promise<void> {
    await this.indexed;
    const known = await this.boards.find({}, { _id: 1 }).lean<Array<{ _id: string }>>().exec();
    const ids = new Set([...known.map((d) => d._id), ...counts.keys()]);
    await this.boards.bulkWrite(
      [...ids].map((id) => ({
        updateOne: {
          filter: { _id: id },
          update: {
            $set: {
              counts: Object.fromEntries(
                [...(counts.get(id) ?? new Map<number, number>())].map(([lo, n]) => [`b${lo}`, n]),
              ),
            },
          },
          upsert: true,
        },
      })),
      { ordered: false },
    );
  }
}
