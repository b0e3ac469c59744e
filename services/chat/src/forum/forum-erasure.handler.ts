import { Inject, Injectable } from '@nestjs/common';
import { consumers, identityEvents, type EventOf } from '@agora/proto';
import { OnEvent, PLATFORM_LOGGER, type ConsumerContext, type Logger } from '@agora/platform';
import { DigestRepository } from '../notifications/digest.repository.js';
import { NotificationRepository } from '../notifications/notification.repository.js';
import { PreferencesRepository } from '../notifications/preferences.repository.js';
import { CommentRepository } from './comment.repository.js';
import { PostRepository } from './post.repository.js';

/**
 * The durable consumer `chat-forum-erasure`: a deleted account's posts and comments lose their
 * words (they keep their place, so others' replies still hang together), and its notifications,
 * preferences and digest records go. Every step is repeatable: a redelivery finishes the job.
 */
@Injectable()
export class ForumErasureHandler {
  constructor(
    private readonly posts: PostRepository,
    private readonly comments: CommentRepository,
    private readonly notifications: NotificationRepository,
    private readonly preferences: PreferencesRepository,
    private readonly digests: DigestRepository,
    @Inject(PLATFORM_LOGGER) private readonly logger: Logger,
  ) {}

  @OnEvent(consumers.chatForumErasure, identityEvents.memberDeleted)
  async memberDeleted(event: EventOf<typeof identityEvents.memberDeleted>, ctx: ConsumerContext) {
    const { memberId } = event.data;
    const posts = await this.posts.blankAuthored(memberId);
    const comments = await this.comments.blankAuthored(memberId);
    await this.notifications.deleteOf(memberId);
    await this.preferences.deleteOf(memberId);
    await this.digests.deleteOf(memberId);
    this.logger.info(
      { memberId, posts, comments, reqId: ctx.requestId },
      'member erased from the forum',
    );
  }
}
