import { Inject, Injectable } from '@nestjs/common';
import { consumers, identityEvents, type EventOf } from '@agora/proto';
import { OnEvent, PLATFORM_LOGGER, type ConsumerContext, type Logger } from '@agora/platform';
import { AttachmentService } from '../attachments/attachment.service.js';
import { renderMarkdown } from '../messages/markdown.js';
import { wordPrefixes } from '../messages/word-search.js';
import { ChannelRepository } from '../channels/channel.repository.js';
import { MessageRepository } from '../messages/message.repository.js';

/**
 * The durable consumer `chat-erasure`: a deleted account's messages lose their text (they keep
 * their seq, empty) and their attachments go, its reports go, its name leaves others' mentions of it, and it leaves every
 * channel. Every step is repeatable, so a redelivery after a crash finishes the job.
 */
@Injectable()
export class MemberErasureHandler {
  constructor(
    private readonly messages: MessageRepository,
    private readonly channels: ChannelRepository,
    private readonly attachments: AttachmentService,
    @Inject(PLATFORM_LOGGER) private readonly logger: Logger,
  ) {}

  @OnEvent(consumers.chatErasure, identityEvents.memberDeleted)
  async memberDeleted(event: EventOf<typeof identityEvents.memberDeleted>, ctx: ConsumerContext) {
    const { memberId } = event.data;
    const blanked = await this.messages.blankAuthored(memberId);
    const files = await this.attachments.eraseUploader(memberId);
    await this.messages.dropReports(memberId);
    const pattern = new RegExp(`\\[[^\\]]*\\]\\(mention:${memberId}\\)`, 'g');
    for (const m of await this.messages.mentioning(memberId)) {
      const body = m.body.replace(pattern, '@…');
      await this.messages.rewrite(m.id, body, renderMarkdown(body), wordPrefixes(body), memberId);
    }
    await this.channels.leaveAll(memberId);
    this.logger.info({ memberId, blanked, files, reqId: ctx.requestId }, 'member erased from chat');
  }
}
