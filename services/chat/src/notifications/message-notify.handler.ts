import { Injectable } from '@nestjs/common';
import { OnEvent } from '@agora/platform';
import { chatEvents, consumers, type EventOf } from '@agora/proto';
import { MessageRepository } from '../messages/message.repository.js';
import { NotifierService, target } from './notifier.service.js';

/**
 * Channel messages that notify: an @mention tells the mentioned member (collapsed per channel), a
 * reply in a thread tells the thread's author (collapsed per thread). Mentions are resolved by chat
 * to the channel's members on send.
 */
@Injectable()
export class MessageNotifyHandler {
  constructor(
    private readonly notifier: NotifierService,
    private readonly messages: MessageRepository,
  ) {}

  @OnEvent(consumers.chatNotifyMessages, chatEvents.messagePosted)
  async posted(event: EventOf<typeof chatEvents.messagePosted>): Promise<void> {
    const { messageId, channelId, authorId, threadOf, mentionIds } = event.data;
    await this.notifier.notify(mentionIds, {
      type: 'mention',
      key: `mention:${channelId}`,
      target: target({ channelId, messageId }),
      actorId: authorId,
      sourceId: event.id,
    });
    if (threadOf === null) return;
    const root = await this.messages.byId(channelId, threadOf);
    const rootAuthor = root?.authorId?.toHexString();
    // A mention in the reply already told them.
    if (!rootAuthor || mentionIds.includes(rootAuthor)) return;
    await this.notifier.notify([rootAuthor], {
      type: 'thread-reply',
      key: `thread-reply:${threadOf}`,
      target: target({ channelId, messageId }),
      actorId: authorId,
      sourceId: event.id,
    });
  }
}
