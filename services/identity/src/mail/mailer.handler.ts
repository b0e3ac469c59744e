import { Inject, Injectable } from '@nestjs/common';
import { consumers, identityEvents, type EventOf } from '@agora/proto';
import { OnEvent, PLATFORM_LOGGER, type ConsumerContext, type Logger } from '@agora/platform';
import { MailerService } from './mailer.service.js';

/** The durable consumer `identity-mailer`: one mail per `invitation.sent` (the platform runs it). */
@Injectable()
export class MailerHandler {
  constructor(
    private readonly mailer: MailerService,
    @Inject(PLATFORM_LOGGER) private readonly logger: Logger,
  ) {}

  @OnEvent(consumers.identityMailer, identityEvents.invitationSent)
  async invitationSent(
    event: EventOf<typeof identityEvents.invitationSent>,
    ctx: ConsumerContext,
  ): Promise<void> {
    const { invitationId } = event.data;
    const outcome = await this.mailer.onInvitationSent(invitationId);
    this.logger.info(
      { invitationId, outcome, delivery: ctx.deliveryCount, reqId: ctx.requestId },
      'invitation mail',
    );
  }
}
