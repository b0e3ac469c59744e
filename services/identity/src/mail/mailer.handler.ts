import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { consumers, identityEvents, type EventData } from '@agora/proto';
import { ConsumerRunner, PLATFORM_LOGGER, type Logger } from '@agora/platform';
import { MailerService } from './mailer.service.js';

/** Runs the durable `identity-mailer` consumer: one mail per `invitation.sent`. */
@Injectable()
export class MailerHandler implements OnApplicationBootstrap {
  constructor(
    private readonly runner: ConsumerRunner,
    private readonly mailer: MailerService,
    @Inject(PLATFORM_LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    // The runner stops it at shutdown (PlatformModule); it waits for NATS and restarts itself.
    this.runner.run(consumers.identityMailer, {
      [identityEvents.invitationSent.type]: async (envelope, ctx) => {
        const data = envelope.data as EventData<typeof identityEvents.invitationSent>;
        const outcome = await this.mailer.onInvitationSent(data.invitationId);
        this.logger.info(
          {
            invitationId: data.invitationId,
            outcome,
            delivery: ctx.deliveryCount,
            reqId: ctx.requestId,
          },
          'invitation mail',
        );
      },
    });
  }
}
