import { Inject, Injectable } from '@nestjs/common';
import { consumers, recoveryEvents, type EventOf } from '@agora/proto';
import { OnEvent, PLATFORM_LOGGER, type ConsumerContext, type Logger } from '@agora/platform';
import { AccountMailerService } from './account-mailer.service.js';

/** The durable consumer `identity-account-mailer`: one mail per `account-mail.queued`. */
@Injectable()
export class AccountMailerHandler {
  constructor(
    private readonly mailer: AccountMailerService,
    @Inject(PLATFORM_LOGGER) private readonly logger: Logger,
  ) {}

  @OnEvent(consumers.identityAccountMailer, recoveryEvents.accountMailQueued)
  async queued(
    event: EventOf<typeof recoveryEvents.accountMailQueued>,
    ctx: ConsumerContext,
  ): Promise<void> {
    const { mailId } = event.data;
    const outcome = await this.mailer.onQueued(mailId);
    this.logger.info(
      { mailId, outcome, delivery: ctx.deliveryCount, reqId: ctx.requestId },
      'account mail',
    );
  }
}
