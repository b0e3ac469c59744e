import { Inject, Injectable } from '@nestjs/common';
import { Types, type Model } from 'mongoose';
import {
  indexesReady,
  MongoService,
  Outbox,
  type OutboxWriter,
  type PendingEvent,
} from '@agora/platform';
import type { DocVersion } from '@agora/proto';
import { concatChunks, SNAPSHOT_CHUNK_BYTES } from '../snapshots/snapshot.repository.js';
import {
  VERSION_CHUNK_COLLECTION,
  VERSION_COLLECTION,
  versionChunkSchema,
  versionSchema,
  type VersionChunkDoc,
  type VersionDoc,
} from './version.schema.js';

/** The newest this many versions of a doc are listed. */
export const VERSION_LIST_LIMIT = 500;

function toVersion(doc: VersionDoc): DocVersion {
  return {
    id: doc._id.toHexString(),
    docName: doc.docName,
    name: doc.name,
    reason: doc.reason,
    savedBy: doc.savedBy,
    savedAt: doc.savedAt.toISOString(),
    seq: doc.seq,
    size: doc.size,
  };
}

/**
 * Versions in `agora_collab`: a head per version (written with its `collab.version.saved` event)
 * and its state in chunks written before it, as snapshots are, so a version of any size saves and
 * a head never points at chunks that are not all there.
 */
@Injectable()
export class VersionRepository {
  private readonly heads: Model<VersionDoc>;
  private readonly writes: OutboxWriter<VersionDoc>;
  private readonly chunks: Model<VersionChunkDoc>;
  private readonly indexed: Promise<void>;

  constructor(@Inject(MongoService) mongo: MongoService, @Inject(Outbox) outbox: Outbox) {
    this.heads = mongo.connection.model<VersionDoc>('Version', versionSchema, VERSION_COLLECTION);
    this.writes = outbox.for(this.heads);
    this.chunks = mongo.connection.model<VersionChunkDoc>(
      'VersionChunk',
      versionChunkSchema,
      VERSION_CHUNK_COLLECTION,
    );
    this.indexed = Promise.all([indexesReady(this.heads), indexesReady(this.chunks)]).then(
      () => undefined,
    );
  }

  newId(): string {
    return new Types.ObjectId().toHexString();
  }

  /** Writes the state's chunks, then the head with `events`; a failed head takes its chunks back. */
  async save(
    version: DocVersion,
    state: Uint8Array,
    events: readonly PendingEvent[],
  ): Promise<void> {
    await this.indexed;
    const versionId = new Types.ObjectId(version.id);
    const count = Math.max(1, Math.ceil(state.byteLength / SNAPSHOT_CHUNK_BYTES));
    // One chunk per insert keeps each command under the store's 16 MiB message.
    for (let index = 0; index < count; index += 1) {
      const start = index * SNAPSHOT_CHUNK_BYTES;
      const data = Buffer.from(
        state.subarray(start, Math.min(state.byteLength, start + SNAPSHOT_CHUNK_BYTES)),
      );
      await this.chunks.create({ versionId, index, data });
    }
    const savedAt = new Date(version.savedAt);
    try {
      await this.writes.insert(
        {
          _id: versionId,
          docName: version.docName,
          name: version.name,
          reason: version.reason,
          savedBy: version.savedBy,
          savedAt,
          seq: version.seq,
          size: state.byteLength,
          chunks: count,
        },
        events,
        savedAt,
      );
    } catch (err) {
      await this.chunks
        .deleteMany({ versionId })
        .exec()
        .catch(() => undefined);
      throw err;
    }
  }

  /** The doc's versions, newest first (at most `limit`, and `VERSION_LIST_LIMIT`). */
  async list(docName: string, limit = VERSION_LIST_LIMIT): Promise<DocVersion[]> {
    const docs = await this.heads
      .find({ docName }, { outbox: 0 })
      .sort({ savedAt: -1, _id: -1 })
      .limit(Math.min(limit, VERSION_LIST_LIMIT))
      .lean<VersionDoc[]>()
      .exec();
    return docs.map(toVersion);
  }

  /** One version of `docName` (a version of another doc is not found). */
  async find(docName: string, versionId: string): Promise<DocVersion | null> {
    const doc = await this.heads
      .findOne({ _id: new Types.ObjectId(versionId), docName }, { outbox: 0 })
      .lean<VersionDoc>()
      .exec();
    return doc ? toVersion(doc) : null;
  }

  /** A version with its state, or null. */
  async load(
    docName: string,
    versionId: string,
  ): Promise<{ version: DocVersion; state: Uint8Array } | null> {
    const doc = await this.heads
      .findOne({ _id: new Types.ObjectId(versionId), docName }, { outbox: 0 })
      .lean<VersionDoc>()
      .exec();
    if (!doc) return null;
    const parts = await this.chunks
      .find({ versionId: doc._id }, { index: 1, data: 1 })
      .sort({ index: 1 })
      .lean<Pick<VersionChunkDoc, 'index' | 'data'>[]>()
      .exec();
    if (parts.length !== doc.chunks) {
      throw new Error(`version ${versionId} has ${parts.length} of its ${doc.chunks} chunks`);
    }
    const state = concatChunks(parts, doc.size);
    return { version: toVersion(doc), state };
  }
}
