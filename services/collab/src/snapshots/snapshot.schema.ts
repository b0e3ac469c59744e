import { Schema, Types } from 'mongoose';

/**
 * A document's current snapshot: which chunk generation holds its state and the update-log
 * sequence it covers. One per doc (`_id` is the doc name); flipped to a new generation only once
 * that generation's chunks are all written.
 */
export interface SnapshotHeadDoc {
  _id: string;
  seq: number;
  /** Chunks of the generation, numbered 0…chunks-1. */
  chunks: number;
  generation: Types.ObjectId;
  size: number;
  savedAt: Date;
  /**
   * The state's Yjs state vector (a few bytes per writer): a replica loading the doc greets its
   * first joiner with it before applying the state (absent in snapshots saved before it existed).
   */
  stateVector?: Buffer;
}

/** One piece (≤ 4 MiB) of a snapshot's state: a store document holds 16 MiB at most. */
export interface SnapshotChunkDoc {
  _id: Types.ObjectId;
  docName: string;
  generation: Types.ObjectId;
  index: number;
  data: Buffer;
}

export const SNAPSHOT_HEAD_COLLECTION = 'snapshots';
export const SNAPSHOT_CHUNK_COLLECTION = 'snapshot_chunks';

export const snapshotHeadSchema = new Schema<SnapshotHeadDoc>(
  {
    _id: { type: String, required: true },
    seq: { type: Number, required: true },
    chunks: { type: Number, required: true },
    generation: { type: Schema.Types.ObjectId, required: true },
    size: { type: Number, required: true },
    savedAt: { type: Date, required: true },
    stateVector: { type: Buffer },
  },
  { collection: SNAPSHOT_HEAD_COLLECTION, versionKey: false },
);
// (the head is found by `_id`, the doc name: no other index)

export const snapshotChunkSchema = new Schema<SnapshotChunkDoc>(
  {
    docName: { type: String, required: true },
    generation: { type: Schema.Types.ObjectId, required: true },
    index: { type: Number, required: true },
    // Not `required`: mongoose counts an empty Buffer (an empty doc's state) as missing.
    data: { type: Buffer },
  },
  { collection: SNAPSHOT_CHUNK_COLLECTION, versionKey: false },
);

// load: a generation's chunks in order; save: a chunk is written once per generation and index;
// cleanup: a doc's chunks of other generations (leading docName).
snapshotChunkSchema.index({ docName: 1, generation: 1, index: 1 }, { unique: true });
