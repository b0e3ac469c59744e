import { Schema, Types } from 'mongoose';
import { outboxSchemaField, type OutboxEntry } from '@agora/platform';
import type { LikeTargetType } from '@agora/proto';

/**
 * One member's like of one post or comment. The document stays when the like is withdrawn
 * (`standing: false`): flipping it is the single-document write that carries like.given or
 * like.withdrawn, so a repeated PUT or DELETE finds nothing to flip and emits nothing.
 */
export interface LikeDoc {
  _id: Types.ObjectId;
  targetType: LikeTargetType;
  targetId: Types.ObjectId;
  likerId: Types.ObjectId;
  /** The liked content's author (for like.given's `authorId`). */
  authorId: Types.ObjectId;
  standing: boolean;
  updatedAt: Date;
  outbox: OutboxEntry[];
}

export const LIKE_COLLECTION = 'forum_likes';

export const likeSchema = new Schema<LikeDoc>(
  {
    targetType: { type: String, required: true, enum: ['post', 'comment'] },
    targetId: { type: Schema.Types.ObjectId, required: true },
    likerId: { type: Schema.Types.ObjectId, required: true },
    authorId: { type: Schema.Types.ObjectId, required: true },
    standing: { type: Boolean, required: true },
    updatedAt: { type: Date, required: true },
    outbox: outboxSchemaField,
  },
  { collection: LIKE_COLLECTION, versionKey: false },
);

// one like per member and target (the flip of `standing` is the idempotent write); the counts and
// "liked by me" of a page of targets.
likeSchema.index({ targetId: 1, likerId: 1, targetType: 1 }, { unique: true });
// an erasure: every like of a member.
likeSchema.index({ likerId: 1 });
// outbox relay: documents with unpublished events.
likeSchema.index({ 'outbox._id': 1 });
