import { Schema, Types } from 'mongoose';
import { outboxSchemaField, type OutboxEntry } from '@agora/platform';

/** A comment on a post, or a reply to one of its comments (`replyTo`). */
export interface CommentDoc {
  _id: Types.ObjectId;
  postId: Types.ObjectId;
  authorId: Types.ObjectId;
  replyTo: Types.ObjectId | null;
  /** Raw markdown, as written. */
  body: string;
  /** `body` rendered and sanitised once, on write (post-markdown.ts). */
  html: string;
  deletedAt: Date | null;
  createdAt: Date;
  likesAnnouncedAt: Date | null;
  outbox: OutboxEntry[];
}

export const COMMENT_COLLECTION = 'forum_comments';

export const commentSchema = new Schema<CommentDoc>(
  {
    postId: { type: Schema.Types.ObjectId, required: true },
    authorId: { type: Schema.Types.ObjectId, required: true },
    replyTo: { type: Schema.Types.ObjectId, default: null },
    body: { type: String, required: true },
    html: { type: String, required: true },
    deletedAt: { type: Date, default: null },
    createdAt: { type: Date, required: true },
    likesAnnouncedAt: { type: Date, default: null },
    outbox: outboxSchemaField,
  },
  { collection: COMMENT_COLLECTION, versionKey: false },
);

// a post's comments, oldest first; the comment counts of a feed page.
commentSchema.index({ postId: 1, createdAt: 1 });
// an erasure: every comment of a member.
commentSchema.index({ authorId: 1 });
// outbox relay: documents with unpublished events.
commentSchema.index({ 'outbox._id': 1 });
