import { Injectable } from '@nestjs/common';
import { OnEvent } from '@agora/platform';
import { consumers, forumEvents, type EventOf } from '@agora/proto';
import { CommentRepository } from '../forum/comment.repository.js';
import { PostRepository } from '../forum/post.repository.js';
import { NotifierService, target } from './notifier.service.js';

/**
 * Replies in the forum: a comment tells the post's author, a reply tells the author of the comment
 * it answers and the post's. Collapsed per post (or comment): many replies, one notification.
 */
@Injectable()
export class ForumNotifyHandler {
  constructor(
    private readonly notifier: NotifierService,
    private readonly posts: PostRepository,
    private readonly comments: CommentRepository,
  ) {}

  @OnEvent(consumers.chatNotifyComments, forumEvents.commentWritten)
  async commentWritten(event: EventOf<typeof forumEvents.commentWritten>): Promise<void> {
    const { postId, commentId, authorId } = event.data;
    const post = await this.posts.find(postId);
    if (!post) return; // deleted since: nothing left to point at
    await this.notifier.notify([post.authorId.toHexString()], {
      type: 'forum-reply',
      key: `forum-reply:post:${postId}`,
      target: target({ postId, commentId, spaceId: post.spaceId?.toHexString() ?? null }),
      actorId: authorId,
      sourceId: event.id,
    });
  }

  @OnEvent(consumers.chatNotifyReplies, forumEvents.replyPosted)
  async replyPosted(event: EventOf<typeof forumEvents.replyPosted>): Promise<void> {
    const { postId, commentId, authorId, replyTo } = event.data;
    const post = await this.posts.find(postId);
    if (!post) return;
    const spaceId = post.spaceId?.toHexString() ?? null;
    const answered = await this.comments.find(replyTo);
    const answeredAuthor = answered?.authorId.toHexString();
    if (answeredAuthor)
      await this.notifier.notify([answeredAuthor], {
        type: 'forum-reply',
        key: `forum-reply:comment:${replyTo}`,
        target: target({ postId, commentId, spaceId }),
        actorId: authorId,
        sourceId: event.id,
      });
    const postAuthor = post.authorId.toHexString();
    if (postAuthor !== answeredAuthor)
      await this.notifier.notify([postAuthor], {
        type: 'forum-reply',
        key: `forum-reply:post:${postId}`,
        target: target({ postId, commentId, spaceId }),
        actorId: authorId,
        sourceId: event.id,
      });
  }
}
