import { Schema, Types } from 'mongoose';
import { outboxSchemaField, type OutboxEntry } from '@agora/platform';
import { versionReasons } from '@agora/proto';

/** A named version of a document; its Yjs state is in `version_chunks` (any size fits). */
export interface VersionDoc {
  _id: Types.ObjectId;
  docName: string;
  name: string;
  reason: (typeof versionReasons)[number];
  savedBy: string | null;
  savedAt: Date;
  /** Update-log sequence the state covers. */
  seq: number;
  /** Bytes of the state, and how many chunks hold it. */
  size: number;
  chunks: number;
  /** `collab.version.saved`, until the relay published it. */
  outbox: OutboxEntry[];
}

/** One piece (at most 4 MiB) of a version's state: a store document holds 16 MiB at most. */
export interface VersionChunkDoc {
  _id: Types.ObjectId;
  versionId: Types.ObjectId;
  index: number;
  data: Buffer;
}

export const VERSION_COLLECTION = 'versions';
export const VERSION_CHUNK_COLLECTION = 'version_chunks';

export const versionSchema = new Schema<VersionDoc>(
  {
    docName: { type: String, required: true },
    name: { type: String, required: true },
    reason: { type: String, enum: versionReasons, required: true },
    savedBy: { type: String, default: null },
    savedAt: { type: Date, required: true },
    seq: { type: Number, required: true },
    size: { type: Number, required: true },
    chunks: { type: Number, required: true },
    outbox: outboxSchemaField,
  },
  { collection: VERSION_COLLECTION, versionKey: false },
);
// version list: a doc's versions, newest first.
versionSchema.index({ docName: 1, savedAt: -1 });
// outbox relay: documents with unpublished events.
versionSchema.index({ 'outbox._id': 1 });

export const versionChunkSchema = new Schema<VersionChunkDoc>(
  {
    versionId: { type: Schema.Types.ObjectId, required: true },
    index: { type: Number, required: true },
    data: { type: Buffer, required: true },
  },
  { collection: VERSION_CHUNK_COLLECTION, versionKey: false },
);
// open a version: its chunks in order; each chunk is written once per version and index.
versionChunkSchema.index({ versionId: 1, index: 1 }, { unique: true });
