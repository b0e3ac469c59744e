import { Module, type DynamicModule } from '@nestjs/common';
import { PlatformModule, type Clock, type Logger } from '@agora/platform';
import { attachmentControllers, attachmentProviders } from './attachments/attachments.providers.js';
import { ChannelAccess } from './channels/channel-access.service.js';
import { ChannelHandler } from './channels/channel.handler.js';
import { ChannelRepository } from './channels/channel.repository.js';
import { ChannelService } from './channels/channel.service.js';
import { SpaceMembersHandler } from './channels/space-members.handler.js';
import { CHAT_CONFIG, type ChatConfig } from './common/chat-config.js';
import { MemberErasureHandler } from './erasure/member-erasure.handler.js';
import { forumControllers, forumProviders } from './forum/forum.providers.js';
import {
  notificationControllers,
  notificationProviders,
} from './notifications/notifications.providers.js';
import { ChannelLiveRepository } from './live/channel-live.repository.js';
import { MessageHandler } from './messages/message.handler.js';
import { MessageRepository } from './messages/message.repository.js';
import { MessageService } from './messages/message.service.js';
import { SeqPlaceholders } from './messages/seq-placeholders.service.js';
import { SeqRepair } from './messages/seq-repair.service.js';

export interface ChatModuleOptions {
  config: ChatConfig;
  logger?: Logger;
  /** Tests replace the clock. */
  clock?: Clock;
}

@Module({})
export class ChatModule {
  static forRoot(options: ChatModuleOptions): DynamicModule {
    const { config } = options;
    return {
      module: ChatModule,
      imports: [
        PlatformModule.forRoot({
          service: 'chat',
          config,
          mongo: true,
          ...(options.logger ? { logger: options.logger } : {}),
          ...(options.clock ? { clock: options.clock } : {}),
        }),
      ],
      controllers: [
        ChannelHandler,
        MessageHandler,
        ...attachmentControllers,
        ...forumControllers,
        ...notificationControllers,
      ],
      providers: [
        { provide: CHAT_CONFIG, useValue: config },
        ...forumProviders,
        ...attachmentProviders,
        ...notificationProviders,
        // repositories: all I/O
        ChannelRepository,
        MessageRepository,
        ChannelLiveRepository,
        // services: logic
        ChannelAccess,
        ChannelService,
        MessageService,
        SeqPlaceholders,
        SeqRepair,
        // consumers
        SpaceMembersHandler,
        MemberErasureHandler,
      ],
    };
  }
}
