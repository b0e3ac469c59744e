import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { Model } from 'mongoose';
import { MongoService, indexesReady, isDuplicateKey } from '@agora/platform';
import { MEDIA_COLLECTION, mediaSchema, type MediaDoc } from './media.schema.js';

export interface StoredMedia {
  id: string;
  contentType: string;
  data: Buffer;
}

/** Images stored durably in identity's own database, addressed by content hash. */
@Injectable()
export class MediaRepository {
  private readonly model: Model<MediaDoc>;
  /** Unique and TTL indexes built (writes that rely on them wait for this). */
  private readonly indexed: Promise<void>;

  constructor(mongo: MongoService) {
    this.model = mongo.connection.model<MediaDoc>('Media', mediaSchema, MEDIA_COLLECTION);
    this.indexed = indexesReady(this.model);
  }

  /** Stores the bytes once (same content, same id) and returns the id. */
  async save(contentType: string, data: Buffer, at: Date): Promise<string> {
    const id = createHash('sha256').update(data).digest('hex');
    try {
      await this.model.create({ _id: id, contentType, data, bytes: data.length, createdAt: at });
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
    }
    return id;
  }

  async get(id: string): Promise<StoredMedia | null> {
    // not lean: mongoose casts the BSON binary back to a Buffer of the right length
    const doc = await this.model.findById(id).exec();
    if (!doc) return null;
    return { id: doc._id, contentType: doc.contentType, data: Buffer.from(doc.data) };
  }

  async delete(id: string): Promise<void> {
    await this.model.deleteOne({ _id: id }).exec();
  }
}
