import { Schema } from 'mongoose';
import type { Move } from './histogram-buckets.js';

/**
 * One board's histogram: how many members are in each points bucket (`counts.b<lo>`), so a rank
 * is a sum of buckets, not an index walk. `folds` are the last batches of moves added in, so
 * adding one twice (a retry after a crash) changes nothing.
 */
export interface HistogramDoc {
  _id: string;
  counts: Record<string, number>;
  folds: string[];
}

export const HISTOGRAM_COLLECTION = 'histograms';

export const histogramSchema = new Schema<HistogramDoc>(
  {
    _id: { type: String, required: true },
    counts: { type: Schema.Types.Mixed, default: {} },
    folds: { type: [String], default: [] },
  },
  { collection: HISTOGRAM_COLLECTION, versionKey: false, minimize: false },
);

/**
 * A batch of balance writes' moves, summed, between the writes and their fold into the boards:
 * whoever finishes the batch (the writer, or the repair after a crash) folds exactly this.
 */
export interface HistogramBatchDoc {
  _id: string;
  moves: Move[];
  members: string[];
}

export const histogramBatchSchema = new Schema<HistogramBatchDoc>(
  {
    _id: { type: String, required: true },
    moves: { type: Schema.Types.Mixed, required: true },
    members: { type: [String], required: true },
  },
  { collection: 'histogram_batches', versionKey: false },
);
