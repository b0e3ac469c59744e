import { Injectable } from '@nestjs/common';
import type { Model, Types } from 'mongoose';
import { MongoService, Outbox, type OutboxWriter, type PendingEvent } from '@agora/platform';
import { maxCommentsShown } from '@agora/proto';
import { oid } from '../common/object-id.js';
import { renderPostMarkdown } from './post-markdown.js';
import { COMMENT_COLLECTION, commentSchema, type CommentDoc } from './comment.schema.js';

export interface NewComment {
  id: string;
  postId: string;
  authorId: string;
  replyTo: string | null;
  body: string;
}

/** Comments and replies: all their I/O. */
@Injectable()
export class CommentRepository {
  private readonly model: Model<CommentDoc>;
  private readonly writes: OutboxWriter<CommentDoc>;

  constructor(mongo: MongoService, outbox: Outbox) {
    this.model = mongo.connection.model<CommentDoc>(
      'ForumComment',
      commentSchema,
      COMMENT_COLLECTION,
    );
    this.writes = outbox.for(this.model);
  }

  async insert(c: NewComment, events: readonly PendingEvent[], at: Date): Promise<CommentDoc> {
    const doc = {
      _id: oid(c.id),
      postId: oid(c.postId),
      authorId: oid(c.authorId),
      replyTo: c.replyTo === null ? null : oid(c.replyTo),
      body: c.body,
      html: renderPostMarkdown(c.body),
      deletedAt: null,
      createdAt: at,
      likesAnnouncedAt: null,
    };
    await this.writes.insert(doc, events, at);
    return { ...doc, outbox: [] };
  }

  find(id: string): Promise<CommentDoc | null> {
    return this.model
      .findOne({ _id: oid(id), deletedAt: null }, { outbox: 0 })
      .lean<CommentDoc>()
      .exec();
  }

  /** A post's standing comments and replies, oldest first. */
  listByPost(postId: string): Promise<CommentDoc[]> {
    return this.model
      .find({ postId: oid(postId), deletedAt: null }, { outbox: 0 })
      .sort({ createdAt: 1, _id: 1 })
      .limit(maxCommentsShown)
      .lean<CommentDoc[]>()
      .exec();
  }

  /** Standing comments per post, for a feed page. */
  async countByPost(postIds: readonly Types.ObjectId[]): Promise<Map<string, number>> {
    if (postIds.length === 0) return new Map();
    const rows = await this.model
      .aggregate<{ _id: Types.ObjectId; n: number }>([
        { $match: { postId: { $in: [...postIds] }, deletedAt: null } },
        { $group: { _id: '$postId', n: { $sum: 1 } } },
      ])
      .exec();
    return new Map(rows.map((r) => [r._id.toHexString(), r.n]));
  }

  async markDeleted(id: string, events: readonly PendingEvent[], at: Date): Promise<boolean> {
    const doc = await this.writes.update(
      { _id: oid(id), deletedAt: null },
      { $set: { deletedAt: at } },
      events,
      at,
    );
    return doc !== null;
  }

  async announce(id: string, events: readonly PendingEvent[], at: Date): Promise<void> {
    await this.writes.update({ _id: oid(id) }, { $set: { likesAnnouncedAt: at } }, events, at);
  }

  /** An erased member's comments and replies keep their place without their words. */
  async blankAuthored(memberId: string): Promise<number> {
    const res = await this.model
      .updateMany({ authorId: oid(memberId) }, { $set: { body: '', html: '' } })
      .exec();
    return res.modifiedCount;
  }
}
