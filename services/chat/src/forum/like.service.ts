import { Injectable } from '@nestjs/common';
import { Clock, RpcFailure, pendingEvent, type VerifiedActor } from '@agora/platform';
import { forumEvents, type LikeTargetType, type RpcResponse, type forumRpc } from '@agora/proto';
import { CommentRepository } from './comment.repository.js';
import { canRead } from './feed-access.js';
import { ForumService } from './forum.service.js';
import { LikeRepository } from './like.repository.js';
import { PostRepository } from './post.repository.js';

type LikeState = RpcResponse<typeof forumRpc.likePut>;

interface Target {
  authorId: string;
  postId: string;
  spaceId: string | null;
}

/**
 * Likes: idempotent both ways, never on one's own content. like.given / like.withdrawn travel with
 * the flip of the like's own document; the new count then goes to the feed's viewers through the
 * liked post's (or comment's) outbox, counted after the flip so the last announcement is right.
 */
@Injectable()
export class LikeService {
  constructor(
    private readonly forum: ForumService,
    private readonly posts: PostRepository,
    private readonly comments: CommentRepository,
    private readonly likes: LikeRepository,
    private readonly clock: Clock,
  ) {}

  private async target(
    actor: VerifiedActor,
    targetType: LikeTargetType,
    targetId: string,
  ): Promise<Target> {
    if (targetType === 'post') {
      const { post } = await this.forum.readablePost(actor, targetId);
      return {
        authorId: post.authorId.toHexString(),
        postId: targetId,
        spaceId: post.spaceId?.toHexString() ?? null,
      };
    }
    const comment = await this.comments.find(targetId);
    if (!comment) throw new RpcFailure('NOT_FOUND', 'no such comment');
    const postId = comment.postId.toHexString();
    const { post, right } = await this.forum.readablePost(actor, postId).catch(() => {
      throw new RpcFailure('NOT_FOUND', 'no such comment');
    });
    if (!canRead(right)) throw new RpcFailure('NOT_FOUND', 'no such comment');
    return {
      authorId: comment.authorId.toHexString(),
      postId,
      spaceId: post.spaceId?.toHexString() ?? null,
    };
  }

  async put(
    actor: VerifiedActor,
    targetType: LikeTargetType,
    targetId: string,
  ): Promise<LikeState> {
    const t = await this.target(actor, targetType, targetId);
    if (t.authorId === actor.memberId)
      throw new RpcFailure('FORBIDDEN', `you cannot like your own ${targetType}`);
    const at = this.clock.now();
    const data = { targetType, targetId, likerId: actor.memberId, authorId: t.authorId };
    const given = await this.likes.give(
      { targetType, targetId, likerId: actor.memberId },
      t.authorId,
      [pendingEvent(forumEvents.likeGiven, actor.memberId, targetId, data)],
      at,
    );
    const likes = await this.likes.count(targetType, targetId);
    if (given) await this.announce(actor, targetType, targetId, t, likes);
    return { targetType, targetId, liked: true, likes };
  }

  async remove(
    actor: VerifiedActor,
    targetType: LikeTargetType,
    targetId: string,
  ): Promise<LikeState> {
    const t = await this.target(actor, targetType, targetId);
    const at = this.clock.now();
    const data = { targetType, targetId, likerId: actor.memberId, authorId: t.authorId };
    const withdrawn = await this.likes.withdraw(
      { targetType, targetId, likerId: actor.memberId },
      [pendingEvent(forumEvents.likeWithdrawn, actor.memberId, targetId, data)],
      at,
    );
    const likes = await this.likes.count(targetType, targetId);
    if (withdrawn) await this.announce(actor, targetType, targetId, t, likes);
    return { targetType, targetId, liked: false, likes };
  }

  private async announce(
    actor: VerifiedActor,
    targetType: LikeTargetType,
    targetId: string,
    t: Target,
    likes: number,
  ): Promise<void> {
    const event = pendingEvent(forumEvents.likeCountChanged, actor.memberId, targetId, {
      targetType,
      targetId,
      postId: t.postId,
      spaceId: t.spaceId,
      likes,
    });
    const at = this.clock.now();
    if (targetType === 'post') await this.posts.announce(targetId, [event], at);
    else await this.comments.announce(targetId, [event], at);
  }
}
