import { Inject, Injectable } from '@nestjs/common';
import { consumers, identityEvents, type EventOf } from '@agora/proto';
import { OnEvent, PLATFORM_LOGGER, type ConsumerContext, type Logger } from '@agora/platform';
import { MembershipService } from './membership.service.js';

/** The durable consumer `spaces-invitations`: an accepted invitation's kept role becomes a membership. */
@Injectable()
export class InvitationAcceptedHandler {
  constructor(
    private readonly members: MembershipService,
    @Inject(PLATFORM_LOGGER) private readonly logger: Logger,
  ) {}

  @OnEvent(consumers.spacesInvitations, identityEvents.invitationAccepted)
  async invitationAccepted(
    event: EventOf<typeof identityEvents.invitationAccepted>,
    ctx: ConsumerContext,
  ): Promise<void> {
    const { invitationId, memberId } = event.data;
    const outcome = await this.members.invitationAccepted(invitationId, memberId);
    this.logger.info(
      { invitationId, memberId, outcome, delivery: ctx.deliveryCount, reqId: ctx.requestId },
      'invitation accepted',
    );
  }
}
