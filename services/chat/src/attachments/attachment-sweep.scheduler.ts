import {
  Inject,
  Injectable,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { PLATFORM_LOGGER, type Logger } from '@agora/platform';
import { CHAT_CONFIG, type ChatConfig } from '../common/chat-config.js';
import { AttachmentService } from './attachment.service.js';

/** Removes attachments uploaded and never sent (every replica may sweep: each step is repeatable). */
@Injectable()
export class AttachmentSweepScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly attachments: AttachmentService,
    @Inject(CHAT_CONFIG) private readonly config: ChatConfig,
    @Inject(PLATFORM_LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = this.attachments
        .sweepDrafts()
        .then((removed) => {
          if (removed > 0) this.logger.info({ removed }, 'unsent attachments removed');
        })
        .catch((err: unknown) => this.logger.warn({ err }, 'attachment sweep failed'))
        .finally(() => {
          this.running = undefined;
        });
    }, this.config.CHAT_ATTACHMENT_SWEEP_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }
}
