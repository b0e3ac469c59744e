import { Injectable } from '@nestjs/common';
import type { Model, Types } from 'mongoose';
import {
  indexesReady,
  isDuplicateKey,
  MongoService,
  Outbox,
  type OutboxWriter,
  type PendingEvent,
} from '@agora/platform';
import type { LikeTargetType } from '@agora/proto';
import { oid } from '../common/object-id.js';
import { LIKE_COLLECTION, likeSchema, type LikeDoc } from './like.schema.js';

export interface LikeKey {
  targetType: LikeTargetType;
  targetId: string;
  likerId: string;
}

/** Likes: all their I/O. A like's events travel with the flip of its `standing` flag. */
@Injectable()
export class LikeRepository {
  private readonly model: Model<LikeDoc>;
  private readonly writes: OutboxWriter<LikeDoc>;
  private readonly indexed: Promise<void>;

  constructor(mongo: MongoService, outbox: Outbox) {
    this.model = mongo.connection.model<LikeDoc>('ForumLike', likeSchema, LIKE_COLLECTION);
    this.writes = outbox.for(this.model);
    this.indexed = indexesReady(this.model);
  }

  private filter(k: LikeKey) {
    return { targetId: oid(k.targetId), likerId: oid(k.likerId), targetType: k.targetType };
  }

  /**
   * Makes the like stand; true when this call made it so (and wrote `events`), false when it
   * stood already (nothing written: a PUT on a standing like emits nothing).
   */
  async give(
    k: LikeKey,
    authorId: string,
    events: readonly PendingEvent[],
    at: Date,
  ): Promise<boolean> {
    await this.indexed;
    const flipped = await this.writes.update(
      { ...this.filter(k), standing: false },
      { $set: { standing: true, updatedAt: at } },
      events,
      at,
    );
    if (flipped) return true;
    try {
      await this.writes.insert(
        { ...this.filter(k), authorId: oid(authorId), standing: true, updatedAt: at },
        events,
        at,
      );
      return true;
    } catch (err) {
      // Standing already, or another request just made it stand (or flipped it back: try once more).
      if (!isDuplicateKey(err)) throw err;
      const again = await this.writes.update(
        { ...this.filter(k), standing: false },
        { $set: { standing: true, updatedAt: at } },
        events,
        at,
      );
      return again !== null;
    }
  }

  /** Withdraws a standing like; false when none stood (nothing written). */
  async withdraw(k: LikeKey, events: readonly PendingEvent[], at: Date): Promise<boolean> {
    const flipped = await this.writes.update(
      { ...this.filter(k), standing: true },
      { $set: { standing: false, updatedAt: at } },
      events,
      at,
    );
    return flipped !== null;
  }

  async count(targetType: LikeTargetType, targetId: string): Promise<number> {
    return this.model
      .countDocuments({ targetId: oid(targetId), targetType, standing: true })
      .exec();
  }

  /** Standing likes per target, and which of them `likerId` gave, for a page of targets. */
  async summary(
    targetType: LikeTargetType,
    targetIds: readonly Types.ObjectId[],
    likerId: string,
  ): Promise<{ counts: Map<string, number>; mine: Set<string> }> {
    if (targetIds.length === 0) return { counts: new Map(), mine: new Set() };
    const match = { targetId: { $in: [...targetIds] }, targetType, standing: true };
    const [rows, own] = await Promise.all([
      this.model
        .aggregate<{ _id: Types.ObjectId; n: number }>([
          { $match: match },
          { $group: { _id: '$targetId', n: { $sum: 1 } } },
        ])
        .exec(),
      this.model
        .find({ ...match, likerId: oid(likerId) }, { targetId: 1 })
        .lean<Pick<LikeDoc, 'targetId'>[]>()
        .exec(),
    ]);
    return {
      counts: new Map(rows.map((r) => [r._id.toHexString(), r.n])),
      mine: new Set(own.map((l) => l.targetId.toHexString())),
    };
  }
}
