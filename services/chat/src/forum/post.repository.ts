import { Injectable } from '@nestjs/common';
import type { Model, QueryFilter } from 'mongoose';
import { MongoService, Outbox, type OutboxWriter, type PendingEvent } from '@agora/platform';
import type { ForumTag } from '@agora/proto';
import { oid } from '../common/object-id.js';
import { renderPostMarkdown } from './post-markdown.js';
import { POST_COLLECTION, postSchema, type PostDoc } from './post.schema.js';

export interface NewPost {
  id: string;
  authorId: string;
  spaceId: string | null;
  title: string | null;
  body: string;
  tags: ForumTag[];
}

export interface FeedFilter {
  spaceId: string | null;
  tag?: ForumTag;
  before?: string;
  limit: number;
}

/** Forum posts: all their I/O (state and events in one write). */
@Injectable()
export class PostRepository {
  private readonly model: Model<PostDoc>;
  private readonly writes: OutboxWriter<PostDoc>;

  constructor(mongo: MongoService, outbox: Outbox) {
    this.model = mongo.connection.model<PostDoc>('ForumPost', postSchema, POST_COLLECTION);
    this.writes = outbox.for(this.model);
  }

  async insert(post: NewPost, events: readonly PendingEvent[], at: Date): Promise<PostDoc> {
    const doc = {
      _id: oid(post.id),
      authorId: oid(post.authorId),
      spaceId: post.spaceId === null ? null : oid(post.spaceId),
      title: post.title,
      body: post.body,
      html: renderPostMarkdown(post.body),
      tags: post.tags,
      deletedAt: null,
      createdAt: at,
      likesAnnouncedAt: null,
    };
    await this.writes.insert(doc, events, at);
    return { ...doc, outbox: [] };
  }

  /** A post that is not deleted. */
  find(id: string): Promise<PostDoc | null> {
    return this.model
      .findOne({ _id: oid(id), deletedAt: null }, { outbox: 0 })
      .lean<PostDoc>()
      .exec();
  }

  /** One page of a feed, newest first, one more than asked (to tell whether more follow). */
  page(filter: FeedFilter): Promise<PostDoc[]> {
    const query: QueryFilter<PostDoc> = {
      spaceId: filter.spaceId === null ? null : oid(filter.spaceId),
      deletedAt: null,
    };
    if (filter.tag) query.tags = filter.tag;
    if (filter.before) query._id = { $lt: oid(filter.before) };
    return this.model
      .find(query, { outbox: 0 })
      .sort({ _id: -1 })
      .limit(filter.limit + 1)
      .lean<PostDoc[]>()
      .exec();
  }

  /** Marks it deleted with its event; false when it was already gone (nothing written). */
  async markDeleted(id: string, events: readonly PendingEvent[], at: Date): Promise<boolean> {
    const doc = await this.writes.update(
      { _id: oid(id), deletedAt: null },
      { $set: { deletedAt: at } },
      events,
      at,
    );
    return doc !== null;
  }

  /** Writes a like-count announcement through the post's outbox. */
  async announce(id: string, events: readonly PendingEvent[], at: Date): Promise<void> {
    await this.writes.update({ _id: oid(id) }, { $set: { likesAnnouncedAt: at } }, events, at);
  }

  /** An erased member's posts keep their place (others' comments hang on them) without their words. */
  async blankAuthored(memberId: string): Promise<number> {
    const res = await this.model
      .updateMany({ authorId: oid(memberId) }, { $set: { title: null, body: '', html: '' } })
      .exec();
    return res.modifiedCount;
  }
}
