import { Injectable } from '@nestjs/common';
import { OnEvent } from '@agora/platform';
import { consumers, spacesEvents, type EventOf, type SpaceRole } from '@agora/proto';
import { NotifierService, target } from './notifier.service.js';
import { SpaceMemberRepository } from './space-member.repository.js';

/** Who hears a proposal's decision: its team (not its commenters and viewers). */
const proposalTeam: readonly SpaceRole[] = ['lead', 'co-author'];

/**
 * Spaces' events that notify: being added to a space by someone else, a decision on a proposal of
 * one's team. Also keeps the projection of memberships the other notifications read.
 */
@Injectable()
export class SpaceNotifyHandler {
  constructor(
    private readonly notifier: NotifierService,
    private readonly members: SpaceMemberRepository,
  ) {}

  @OnEvent(consumers.chatNotifyMemberships, spacesEvents.membershipAdded)
  async added(event: EventOf<typeof spacesEvents.membershipAdded>): Promise<void> {
    const { spaceId, memberId, kind, role } = event.data;
    await this.members.apply({
      spaceId,
      memberId,
      kind,
      role,
      present: true,
      asOf: new Date(event.occurredAt),
    });
    // Joining by oneself (a public space, a workshop registration) is no news to oneself.
    if (event.actor === null || event.actor === memberId) return;
    await this.notifier.notify([memberId], {
      type: 'space-added',
      key: `space-added:${spaceId}`,
      target: target({ spaceId }),
      actorId: event.actor,
      sourceId: event.id,
    });
  }

  @OnEvent(consumers.chatNotifyMemberships, spacesEvents.membershipRoleChanged)
  async roleChanged(event: EventOf<typeof spacesEvents.membershipRoleChanged>): Promise<void> {
    const { spaceId, memberId, kind, role } = event.data;
    await this.members.apply({
      spaceId,
      memberId,
      kind,
      role,
      present: true,
      asOf: new Date(event.occurredAt),
    });
  }

  @OnEvent(consumers.chatNotifyMemberships, spacesEvents.membershipRemoved)
  async removed(event: EventOf<typeof spacesEvents.membershipRemoved>): Promise<void> {
    const { spaceId, memberId } = event.data;
    await this.members.apply({
      spaceId,
      memberId,
      present: false,
      asOf: new Date(event.occurredAt),
    });
  }

  /**
   * An email invitation names an address, not a member (identity mails the invitee); the bell rings
   * when the invitee joins and spaces adds them (`membership.added`). Acknowledged here so the
   * membership consumer reads every membership event in order.
   */
  @OnEvent(consumers.chatNotifyMemberships, spacesEvents.membershipInvited)
  async invited(): Promise<void> {
    await Promise.resolve();
  }

  @OnEvent(consumers.chatNotifyDecisions, spacesEvents.proposalDecided)
  async decided(event: EventOf<typeof spacesEvents.proposalDecided>): Promise<void> {
    const { proposalId, outcome } = event.data;
    const team = await this.members.membersOf(proposalId, proposalTeam);
    await this.notifier.notify(team, {
      type: 'proposal-decided',
      key: `proposal-decided:${proposalId}`,
      target: target({ spaceId: proposalId, outcome }),
      actorId: event.actor,
      sourceId: event.id,
    });
  }
}
