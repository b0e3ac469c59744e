import { Injectable } from '@nestjs/common';
import type { Model } from 'mongoose';
import { indexesReady, isDuplicateKey, MongoService } from '@agora/platform';
import { oid } from '../common/object-id.js';
import { DIGEST_COLLECTION, digestSchema, type DigestDoc } from './digest.schema.js';

/** Digest records (one per member and day): all their I/O. */
@Injectable()
export class DigestRepository {
  private readonly model: Model<DigestDoc>;
  private readonly indexed: Promise<void>;

  constructor(mongo: MongoService) {
    this.model = mongo.connection.model<DigestDoc>(
      'NotificationDigest',
      digestSchema,
      DIGEST_COLLECTION,
    );
    this.indexed = indexesReady(this.model);
  }

  find(memberId: string, day: string): Promise<DigestDoc | null> {
    return this.model
      .findOne({ memberId: oid(memberId), day })
      .lean<DigestDoc>()
      .exec();
  }

  /** The member's last digest sent, if any. */
  lastSent(memberId: string): Promise<DigestDoc | null> {
    return this.model
      .findOne({ memberId: oid(memberId), status: 'sent' })
      .sort({ day: -1 })
      .lean<DigestDoc>()
      .exec();
  }

  /** Claims the member's digest of `day`; false when it exists (sent, or being sent). */
  async claim(memberId: string, day: string, total: number, at: Date): Promise<boolean> {
    await this.indexed;
    try {
      await this.model.create({
        memberId: oid(memberId),
        day,
        status: 'sending',
        total,
        createdAt: at,
        sentAt: null,
      });
      return true;
    } catch (err) {
      if (isDuplicateKey(err)) return false;
      throw err;
    }
  }

  async markSent(memberId: string, day: string, at: Date): Promise<void> {
    await this.model
      .updateOne({ memberId: oid(memberId), day }, { $set: { status: 'sent', sentAt: at } })
      .exec();
  }

  /** Gives a claim back after identity could not be reached (the next sweep tries again). */
  async release(memberId: string, day: string): Promise<void> {
    await this.model.deleteOne({ memberId: oid(memberId), day, status: 'sending' }).exec();
  }

  async deleteOf(memberId: string): Promise<void> {
    await this.model.deleteMany({ memberId: oid(memberId) }).exec();
  }
}
