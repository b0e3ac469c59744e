import { Inject, Injectable } from '@nestjs/common';
import { Types, type Model } from 'mongoose';
import { indexesReady, isDuplicateKey, MongoService } from '@agora/platform';
import {
  SNAPSHOT_CHUNK_COLLECTION,
  SNAPSHOT_HEAD_COLLECTION,
  snapshotChunkSchema,
  snapshotHeadSchema,
  type SnapshotChunkDoc,
  type SnapshotHeadDoc,
} from './snapshot.schema.js';

export interface StoredSnapshot {
  docName: string;
  seq: number;
  state: Uint8Array;
  savedAt: Date;
  /** The state's state vector, when the save gave it (see SnapshotHeadDoc.stateVector). */
  stateVector?: Uint8Array;
}

/** Largest piece of a state one store document holds (a document takes 16 MiB at most). */
export const SNAPSHOT_CHUNK_BYTES = 4 * 1024 * 1024;
/** A head can flip between reading it and reading its chunks: read again this often. */
const READ_ATTEMPTS = 5;

/** Snapshots in `agora_collab`: a head per doc and its state in chunks, so any size fits. */
@Injectable()
export class SnapshotRepository {
  private readonly heads: Model<SnapshotHeadDoc>;
  private readonly chunks: Model<SnapshotChunkDoc>;
  private readonly indexed: Promise<void>;

  constructor(@Inject(MongoService) mongo: MongoService) {
    this.heads = mongo.connection.model<SnapshotHeadDoc>(
      'SnapshotHead',
      snapshotHeadSchema,
      SNAPSHOT_HEAD_COLLECTION,
    );
    this.chunks = mongo.connection.model<SnapshotChunkDoc>(
      'SnapshotChunk',
      snapshotChunkSchema,
      SNAPSHOT_CHUNK_COLLECTION,
    );
    this.indexed = indexesReady(this.chunks);
  }

  /**
   * The doc's snapshot. The head and the doc's chunks are read at once (one round trip, not two:
   * a cold load waits for it); the chunks of the head's generation are kept. Only while a save is
   * under way does the doc have chunks of another generation too.
   */
  async latest(docName: string): Promise<StoredSnapshot | null> {
    for (let attempt = 0; attempt < READ_ATTEMPTS; attempt += 1) {
      const [head, all] = await Promise.all([
        this.heads.findById(docName).lean(),
        this.chunks
          .find({ docName }, { generation: 1, index: 1, data: 1 })
          .sort({ generation: 1, index: 1 })
          .lean(),
      ]);
      if (!head) return null;
      const parts = all.filter((part) => part.generation.equals(head.generation));
      // The head flipped between the two reads (a save's chunks were not all there yet, or the
      // ones it replaced were removed already): read both again.
      if (parts.length !== head.chunks) continue;
      const snapshot: StoredSnapshot = {
        docName,
        seq: head.seq,
        state: concatChunks(parts, head.size),
        savedAt: head.savedAt,
      };
      if (head.stateVector) snapshot.stateVector = bytesOf(head.stateVector);
      return snapshot;
    }
    throw new Error(`snapshot of ${docName} kept changing while being read`);
  }

  /** Sequence the doc's snapshot covers (0 when it has none), without reading its state. */
  async headSeq(docName: string): Promise<number> {
    const head = await this.heads.findById(docName, { seq: 1 }).lean();
    return head?.seq ?? 0;
  }

  /**
   * Replaces the doc's snapshot iff `seq` is greater than the stored one's; states of any size
   * (chunks of at most 4 MiB in a second collection, written before the head flips, old chunks
   * removed after). False when a snapshot at `seq` or later is already there. `stateVector`, the
   * state's (`Y.encodeStateVector`), is kept in the head: a load can greet a joiner without
   * applying the state first.
   */
  async save(
    docName: string,
    seq: number,
    state: Uint8Array,
    stateVector?: Uint8Array,
  ): Promise<boolean> {
    await this.indexed;
    const generation = new Types.ObjectId();
    const count = Math.max(1, Math.ceil(state.byteLength / SNAPSHOT_CHUNK_BYTES));
    const docs = [];
    for (let index = 0; index < count; index += 1) {
      const start = index * SNAPSHOT_CHUNK_BYTES;
      const end = Math.min(state.byteLength, start + SNAPSHOT_CHUNK_BYTES);
      docs.push({ docName, generation, index, data: Buffer.from(state.subarray(start, end)) });
    }
    // One chunk per insert keeps each command under the store's 16 MiB message.
    for (const doc of docs) await this.chunks.create(doc);

    let replaced: SnapshotHeadDoc | null;
    try {
      replaced = await this.heads
        .findOneAndUpdate(
          { _id: docName, seq: { $lt: seq } },
          {
            $set: {
              seq,
              chunks: count,
              generation,
              size: state.byteLength,
              savedAt: new Date(),
              ...(stateVector ? { stateVector: Buffer.from(stateVector) } : {}),
            },
            ...(stateVector ? {} : { $unset: { stateVector: 1 } }),
          },
          { upsert: true, returnDocument: 'before' },
        )
        .lean();
    } catch (err) {
      // The upsert found a head at `seq` or later (the filter missed, the insert hit its _id).
      if (!isDuplicateKey(err)) throw err;
      await this.chunks.deleteMany({ docName, generation });
      return false;
    }
    // Only the generation this save replaced: a later save's chunks may already be there.
    if (replaced) await this.chunks.deleteMany({ docName, generation: replaced.generation });
    return true;
  }

  async remove(docName: string): Promise<void> {
    await this.heads.deleteOne({ _id: docName });
    await this.chunks.deleteMany({ docName });
  }
}

/** Joins a state's chunks (read in order) back into `size` bytes (versions are chunked alike). */
export function concatChunks(parts: { data: unknown }[], size: number): Uint8Array {
  const out = new Uint8Array(size);
  let at = 0;
  for (const part of parts) {
    const bytes = bytesOf(part.data);
    out.set(bytes, at);
    at += bytes.byteLength;
  }
  if (at !== size) throw new Error(`chunks hold ${at} bytes, their head says ${size}`);
  return out;
}

/** A lean read gives a Binary (driver) or a Buffer, depending on the path. */
function bytesOf(data: unknown): Uint8Array {
  if (data instanceof Uint8Array) return data;
  if (typeof data === 'object' && data !== null && 'buffer' in data) {
    const buffer = data.buffer;
    if (buffer instanceof Uint8Array) return buffer;
  }
  throw new Error('a state chunk is not binary');
}
