import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { Model } from 'mongoose';
import { indexesReady, isDuplicateKey, MongoService } from '@agora/platform';
import { attachmentLimits } from '@agora/proto';
import { oid } from '../common/object-id.js';
import {
  ATTACHMENT_CHUNK_COLLECTION,
  ATTACHMENT_COLLECTION,
  attachmentChunkSchema,
  attachmentSchema,
  type AttachmentChunkDoc,
  type AttachmentDoc,
} from './attachment.schema.js';

export interface NewAttachment {
  id: string;
  /** null: a forum image. */
  channelId: string | null;
  uploaderId: string;
  name: string;
  contentType: string;
  width: number | null;
  height: number | null;
  createdAt: Date;
}

/** Attachments and their content-addressed blobs, in chat's own database: all their I/O. */
@Injectable()
export class AttachmentRepository {
  private readonly model: Model<AttachmentDoc>;
  private readonly chunks: Model<AttachmentChunkDoc>;
  private readonly indexed: Promise<void>;

  constructor(mongo: MongoService) {
    this.model = mongo.connection.model<AttachmentDoc>(
      'Attachment',
      attachmentSchema,
      ATTACHMENT_COLLECTION,
    );
    this.chunks = mongo.connection.model<AttachmentChunkDoc>(
      'AttachmentChunk',
      attachmentChunkSchema,
      ATTACHMENT_CHUNK_COLLECTION,
    );
    this.indexed = Promise.all([indexesReady(this.model), indexesReady(this.chunks)]).then(
      () => undefined,
    );
  }

  /**
   * Records the attachment, then stores its bytes once per content (same bytes, same blob). The
   * record is written first, so a concurrent drop of the last other holder of the blob sees it;
   * the chunks are counted afterwards and written again if such a drop took them meanwhile.
   */
  async create(a: NewAttachment, data: Buffer): Promise<AttachmentDoc> {
    await this.indexed;
    const blobId = createHash('sha256').update(data).digest('hex');
    const doc = await this.model.create({
      _id: oid(a.id),
      channelId: a.channelId === null ? null : oid(a.channelId),
      uploaderId: oid(a.uploaderId),
      name: a.name,
      contentType: a.contentType,
      bytes: data.length,
      width: a.width,
      height: a.height,
      blobId,
      claim: null,
      messageId: null,
      createdAt: a.createdAt,
    });
    const count = chunkCount(data.length);
    for (let attempt = 0; attempt < 2; attempt += 1) {
      for (let index = 0; index < count; index += 1) {
        const start = index * attachmentLimits.chunkBytes;
        try {
          await this.chunks.create({
            _id: `${blobId}:${index}`,
            blobId,
            index,
            data: data.subarray(start, start + attachmentLimits.chunkBytes),
          });
        } catch (err) {
          if (!isDuplicateKey(err)) throw err;
        }
      }
      if ((await this.chunks.countDocuments({ blobId }).exec()) === count) break;
    }
    return doc.toObject();
  }

  async byId(id: string): Promise<AttachmentDoc | null> {
    return this.model.findById(oid(id)).lean<AttachmentDoc>().exec();
  }

  async byIds(ids: readonly string[]): Promise<AttachmentDoc[]> {
    return this.model
      .find({ _id: { $in: ids.map(oid) } })
      .lean<AttachmentDoc[]>()
      .exec();
  }

  /**
   * Takes a draft for the message with this clientMessageId: true when it is now (or already was)
   * that message's, false when another message took it.
   */
  async claim(id: string, clientMessageId: string): Promise<boolean> {
    const res = await this.model
      .updateOne(
        { _id: oid(id), $or: [{ claim: null }, { claim: clientMessageId }] },
        { $set: { claim: clientMessageId } },
      )
      .exec();
    return res.matchedCount === 1;
  }

  /** The message written: its attachments are no longer drafts. */
  async link(ids: readonly string[], messageId: string): Promise<void> {
    if (ids.length === 0) return;
    await this.model
      .updateMany({ _id: { $in: ids.map(oid) } }, { $set: { messageId: oid(messageId) } })
      .exec();
  }

  async ofMessage(messageId: string): Promise<AttachmentDoc[]> {
    return this.model
      .find({ messageId: oid(messageId) })
      .lean<AttachmentDoc[]>()
      .exec();
  }

  async ofUploader(memberId: string): Promise<AttachmentDoc[]> {
    return this.model
      .find({ uploaderId: oid(memberId) })
      .lean<AttachmentDoc[]>()
      .exec();
  }

  /** A forum image showing this content (never a channel's attachment). */
  async forumImage(blobId: string): Promise<AttachmentDoc | null> {
    return this.model.findOne({ blobId, channelId: null }).lean<AttachmentDoc>().exec();
  }

  /** Channel drafts created before `cutoff` (the sweep), oldest first; forum images stay. */
  async draftsBefore(cutoff: Date, limit: number): Promise<AttachmentDoc[]> {
    return this.model
      .find({ messageId: null, createdAt: { $lt: cutoff }, channelId: { $ne: null } })
      .sort({ createdAt: 1 })
      .limit(limit)
      .lean<AttachmentDoc[]>()
      .exec();
  }

  /** Removes the attachment, then its blob's chunks when no other attachment shows it. */
  async remove(doc: AttachmentDoc): Promise<void> {
    await this.model.deleteOne({ _id: doc._id }).exec();
    if (await this.model.exists({ blobId: doc.blobId }).exec()) return;
    await this.chunks.deleteMany({ blobId: doc.blobId }).exec();
  }

  /** One chunk of a blob's bytes, or null when it is gone. */
  async chunk(blobId: string, index: number): Promise<Buffer | null> {
    // not lean: mongoose casts the BSON binary back to a Buffer of the right length
    const doc = await this.chunks.findById(`${blobId}:${index}`).exec();
    return doc ? Buffer.from(doc.data) : null;
  }

  /** How many chunk documents a blob has (specs check that a blob went). */
  async chunkDocs(blobId: string): Promise<number> {
    return this.chunks.countDocuments({ blobId }).exec();
  }
}

/** Chunks a blob of `bytes` is stored and read in. */
export function chunkCount(bytes: number): number {
  return Math.max(1, Math.ceil(bytes / attachmentLimits.chunkBytes));
}
