import { Inject, Injectable } from '@nestjs/common';
import { consumers, spacesEvents, type EventOf } from '@agora/proto';
import { OnEvent, PLATFORM_LOGGER, type ConsumerContext, type Logger } from '@agora/platform';
import { ChannelService } from './channel.service.js';

/**
 * The durable consumer `chat-channel-members`: a space's channel has the space's members. Each
 * write carries the event's stream sequence, so an older redelivery never undoes a newer change.
 */
@Injectable()
export class SpaceMembersHandler {
  constructor(
    private readonly channels: ChannelService,
    @Inject(PLATFORM_LOGGER) private readonly logger: Logger,
  ) {}

  @OnEvent(consumers.chatChannelMembers, spacesEvents.membershipAdded)
  async added(event: EventOf<typeof spacesEvents.membershipAdded>, ctx: ConsumerContext) {
    const { spaceId, memberId, role } = event.data;
    await this.channels.spaceMemberSet(spaceId, memberId, role, ctx.streamSequence);
  }

  @OnEvent(consumers.chatChannelMembers, spacesEvents.membershipRoleChanged)
  async roleChanged(
    event: EventOf<typeof spacesEvents.membershipRoleChanged>,
    ctx: ConsumerContext,
  ) {
    const { spaceId, memberId, role } = event.data;
    await this.channels.spaceMemberSet(spaceId, memberId, role, ctx.streamSequence);
  }

  @OnEvent(consumers.chatChannelMembers, spacesEvents.membershipRemoved)
  async removed(event: EventOf<typeof spacesEvents.membershipRemoved>, ctx: ConsumerContext) {
    const { spaceId, memberId } = event.data;
    await this.channels.spaceMemberRemoved(spaceId, memberId, ctx.streamSequence);
  }

  /** An email invitation is not a membership yet: nothing to do until `membership.added`. */
  @OnEvent(consumers.chatChannelMembers, spacesEvents.membershipInvited)
  async invited(event: EventOf<typeof spacesEvents.membershipInvited>, ctx: ConsumerContext) {
    await Promise.resolve();
    this.logger.debug(
      { spaceId: event.data.spaceId, reqId: ctx.requestId },
      'invitation: no channel change',
    );
  }
}
