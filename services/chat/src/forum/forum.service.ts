import { Injectable } from '@nestjs/common';
import { Clock, RpcFailure, pendingEvent, type VerifiedActor } from '@agora/platform';
import {
  forumEvents,
  type CommentView,
  type PostView,
  type RpcPayload,
  type RpcResponse,
  type forumRpc,
} from '@agora/proto';
import { newId } from '../common/object-id.js';
import { CommentRepository } from './comment.repository.js';
import type { CommentDoc } from './comment.schema.js';
import { canPost, canRead, feedRight, type FeedRight } from './feed-access.js';
import { commentView, postView } from './forum.view.js';
import { LikeRepository } from './like.repository.js';
import { PostRepository } from './post.repository.js';
import type { PostDoc } from './post.schema.js';
import { SpaceAccessRepository } from './space-access.repository.js';

const notFound = () => new RpcFailure('NOT_FOUND', 'no such post');

/**
 * The forum's rules: who reads and posts in which feed, who deletes what. Access is checked first;
 * a post the caller may not read answers like no post at all.
 */
@Injectable()
export class ForumService {
  constructor(
    private readonly posts: PostRepository,
    private readonly comments: CommentRepository,
    private readonly spaces: SpaceAccessRepository,
    private readonly likes: LikeRepository,
    private readonly clock: Clock,
  ) {}

  async rightIn(actor: VerifiedActor, spaceId: string | null): Promise<FeedRight> {
    if (actor.role === 'admin') return 'moderate';
    const role = spaceId === null ? null : await this.spaces.roleIn(actor.memberId, spaceId);
    return feedRight(actor.role, spaceId, role);
  }

  /** The post and the caller's right in its feed; NOT_FOUND when it is gone or not theirs to see. */
  async readablePost(
    actor: VerifiedActor,
    postId: string,
  ): Promise<{ post: PostDoc; right: FeedRight }> {
    const post = await this.posts.find(postId);
    if (!post) throw notFound();
    const right = await this.rightIn(actor, post.spaceId?.toHexString() ?? null);
    if (!canRead(right)) throw notFound();
    return { post, right };
  }

  async create(
    actor: VerifiedActor,
    req: RpcPayload<typeof forumRpc.postCreate>,
  ): Promise<PostView> {
    const spaceId = req.spaceId ?? null;
    const right = await this.rightIn(actor, spaceId);
    if (!canPost(right))
      throw new RpcFailure('FORBIDDEN', 'only the members of this space post in its feed');
    const id = newId();
    const at = this.clock.now();
    const doc = await this.posts.insert(
      {
        id,
        authorId: actor.memberId,
        spaceId,
        title: req.title ?? null,
        body: req.body,
        tags: req.tags,
      },
      [
        pendingEvent(forumEvents.postPublished, actor.memberId, id, {
          postId: id,
          authorId: actor.memberId,
          spaceId,
          tags: req.tags,
        }),
      ],
      at,
    );
    return postView(doc, { likes: 0, likedByMe: false, commentCount: 0, canDelete: true });
  }

  async list(
    actor: VerifiedActor,
    req: RpcPayload<typeof forumRpc.postList>,
  ): Promise<RpcResponse<typeof forumRpc.postList>> {
    const spaceId = req.spaceId ?? null;
    const right = await this.rightIn(actor, spaceId);
    if (!canRead(right)) throw new RpcFailure('FORBIDDEN', 'this feed is its space’s members’');
    const page = await this.posts.page({
      spaceId,
      ...(req.tag ? { tag: req.tag } : {}),
      ...(req.before ? { before: req.before } : {}),
      limit: req.limit,
    });
    const shown = page.slice(0, req.limit);
    const ids = shown.map((p) => p._id);
    const [likes, counts] = await Promise.all([
      this.likes.summary('post', ids, actor.memberId),
      this.comments.countByPost(ids),
    ]);
    const posts = shown.map((p) => {
      const id = p._id.toHexString();
      return postView(p, {
        likes: likes.counts.get(id) ?? 0,
        likedByMe: likes.mine.has(id),
        commentCount: counts.get(id) ?? 0,
        canDelete: mayDelete(actor, p.authorId.toHexString(), right),
      });
    });
    const last = shown.at(-1);
    return {
      posts,
      nextCursor: page.length > req.limit && last ? last._id.toHexString() : null,
    };
  }

  async get(actor: VerifiedActor, postId: string): Promise<RpcResponse<typeof forumRpc.postGet>> {
    const { post, right } = await this.readablePost(actor, postId);
    const comments = await this.comments.listByPost(postId);
    const [postLikes, commentLikes] = await Promise.all([
      this.likes.summary('post', [post._id], actor.memberId),
      this.likes.summary(
        'comment',
        comments.map((c) => c._id),
        actor.memberId,
      ),
    ]);
    return {
      post: postView(post, {
        likes: postLikes.counts.get(postId) ?? 0,
        likedByMe: postLikes.mine.has(postId),
        commentCount: comments.length,
        canDelete: mayDelete(actor, post.authorId.toHexString(), right),
      }),
      comments: comments.map((c) => {
        const id = c._id.toHexString();
        return commentView(c, {
          likes: commentLikes.counts.get(id) ?? 0,
          likedByMe: commentLikes.mine.has(id),
          canDelete: mayDelete(actor, c.authorId.toHexString(), right),
        });
      }),
    };
  }

  async remove(actor: VerifiedActor, postId: string): Promise<void> {
    const { post, right } = await this.readablePost(actor, postId);
    const authorId = post.authorId.toHexString();
    if (!mayDelete(actor, authorId, right))
      throw new RpcFailure('FORBIDDEN', 'only its author or a moderator deletes a post');
    const deleted = await this.posts.markDeleted(
      postId,
      [pendingEvent(forumEvents.postDeleted, actor.memberId, postId, { postId, authorId })],
      this.clock.now(),
    );
    if (!deleted) throw notFound();
  }

  async comment(
    actor: VerifiedActor,
    req: RpcPayload<typeof forumRpc.commentCreate>,
  ): Promise<CommentView> {
    const { right } = await this.readablePost(actor, req.postId);
    if (!canPost(right))
      throw new RpcFailure('FORBIDDEN', 'only the members of this space comment in its feed');
    let replyTo: CommentDoc | null = null;
    if (req.replyTo) {
      replyTo = await this.comments.find(req.replyTo);
      if (!replyTo || replyTo.postId.toHexString() !== req.postId)
        throw new RpcFailure('NOT_FOUND', 'no such comment on this post');
    }
    const id = newId();
    const base = { commentId: id, postId: req.postId, authorId: actor.memberId };
    const event = replyTo
      ? pendingEvent(forumEvents.replyPosted, actor.memberId, id, {
          ...base,
          replyTo: replyTo._id.toHexString(),
        })
      : pendingEvent(forumEvents.commentWritten, actor.memberId, id, base);
    const doc = await this.comments.insert(
      {
        id,
        postId: req.postId,
        authorId: actor.memberId,
        replyTo: replyTo ? replyTo._id.toHexString() : null,
        body: req.body,
      },
      [event],
      this.clock.now(),
    );
    return commentView(doc, { likes: 0, likedByMe: false, canDelete: true });
  }

  async removeComment(actor: VerifiedActor, commentId: string): Promise<void> {
    const comment = await this.comments.find(commentId);
    if (!comment) throw new RpcFailure('NOT_FOUND', 'no such comment');
    const postId = comment.postId.toHexString();
    const { right } = await this.readablePost(actor, postId).catch(() => {
      throw new RpcFailure('NOT_FOUND', 'no such comment');
    });
    const authorId = comment.authorId.toHexString();
    if (!mayDelete(actor, authorId, right))
      throw new RpcFailure('FORBIDDEN', 'only its author or a moderator deletes a comment');
    const base = { commentId, postId, authorId };
    const event = comment.replyTo
      ? pendingEvent(forumEvents.replyDeleted, actor.memberId, commentId, {
          ...base,
          replyTo: comment.replyTo.toHexString(),
        })
      : pendingEvent(forumEvents.commentDeleted, actor.memberId, commentId, base);
    const deleted = await this.comments.markDeleted(commentId, [event], this.clock.now());
    if (!deleted) throw new RpcFailure('NOT_FOUND', 'no such comment');
  }
}

/** Authors delete their own; moderators of the feed (and admins) anyone's. */
function mayDelete(actor: VerifiedActor, authorId: string, right: FeedRight): boolean {
  return actor.memberId === authorId || right === 'moderate';
}
