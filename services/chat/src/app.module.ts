import { Module, type DynamicModule } from '@nestjs/common';
import { PlatformModule, type Clock, type Logger } from '@agora/platform';
import { CHAT_CONFIG, type ChatConfig } from './common/chat-config.js';
import { forumControllers, forumProviders } from './forum/forum.providers.js';

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
      controllers: [...forumControllers],
      providers: [{ provide: CHAT_CONFIG, useValue: config }, ...forumProviders],
    };
  }
}
