import { Schema, Types } from 'mongoose';
import { outboxSchemaField, type OutboxEntry } from '@agora/platform';
import type { ForumTag } from '@agora/proto';

/** A forum post: in the main feed (`spaceId` null) or a community space's feed. */
export interface PostDoc {
  _id: Types.ObjectId;
  authorId: Types.ObjectId;
  spaceId: Types.ObjectId | null;
  title: string | null;
  /** Raw markdown, as written (the web renders it through marked + DOMPurify). */
  body: string;
  /** `body` rendered and sanitised once, on write (post-markdown.ts). */
  html: string;
  tags: ForumTag[];
  /** Set once: a deleted post leaves every feed, its comments and likes with it. */
  deletedAt: Date | null;
  createdAt: Date;
  /** Last like-count announcement written through this document (it carries that event). */
  likesAnnouncedAt: Date | null;
  outbox: OutboxEntry[];
}

export const POST_COLLECTION = 'forum_posts';

export const postSchema = new Schema<PostDoc>(
  {
    authorId: { type: Schema.Types.ObjectId, required: true },
    spaceId: { type: Schema.Types.ObjectId, default: null },
    title: { type: String, default: null },
    body: { type: String, required: true },
    html: { type: String, required: true },
    tags: { type: [String], default: [] },
    deletedAt: { type: Date, default: null },
    createdAt: { type: Date, required: true },
    likesAnnouncedAt: { type: Date, default: null },
    outbox: outboxSchemaField,
  },
  { collection: POST_COLLECTION, versionKey: false },
);

// a feed page: the main feed or a space's, newest first, before a cursor (ObjectIds grow with time).
postSchema.index({ spaceId: 1, _id: -1 });
// a feed filtered by tag.
postSchema.index({ tags: 1, _id: -1 });
// an erasure: every post of a member.
postSchema.index({ authorId: 1 });
// outbox relay: documents with unpublished events.
postSchema.index({ 'outbox._id': 1 });
