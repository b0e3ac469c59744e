import { Injectable } from '@nestjs/common';
import { Clock, pendingEvent, RpcFailure, type VerifiedActor } from '@agora/platform';
import { chatEvents, chatLimits, type ChannelView, type SpaceRole } from '@agora/proto';
import { ChannelLiveRepository } from '../live/channel-live.repository.js';
import { ChannelAccess } from './channel-access.service.js';
import {
  ChannelRepository,
  type ChannelRecord,
  type MembershipRecord,
} from './channel.repository.js';

/** Space roles that moderate the space's channel: each kind's strongest role, and community moderators. */
const moderatingRoles = new Set<SpaceRole>(['owner', 'lead', 'facilitator', 'moderator']);
/** Space roles that are not (yet) in the space's conversation. */
const outsideRoles = new Set<SpaceRole>(['waitlisted']);

@Injectable()
export class ChannelService {
  constructor(
    private readonly channels: ChannelRepository,
    private readonly access: ChannelAccess,
    private readonly live: ChannelLiveRepository,
    private readonly clock: Clock,
  ) {}

  async view(
    channel: ChannelRecord,
    m: MembershipRecord,
    moderator: boolean,
  ): Promise<ChannelView> {
    return {
      id: channel.id,
      kind: channel.kind,
      memberIds: channel.kind === 'direct' ? await this.channels.activeMemberIds(channel.id) : [],
      lastSeq: channel.lastSeq,
      readSeq: Math.min(m.readSeq, channel.lastSeq),
      unread: Math.max(0, channel.lastSeq - m.readSeq),
      moderator,
      mutedUntil:
        m.mutedUntil && m.mutedUntil.getTime() > this.clock.now().getTime()
          ? m.mutedUntil.toISOString()
          : null,
      lastMessageAt: channel.lastMessageAt ? channel.lastMessageAt.toISOString() : null,
    };
  }

  /** The caller's direct channel with these members: the same one for the same set, every time. */
  async openDirect(actor: VerifiedActor, memberIds: readonly string[]): Promise<ChannelView> {
    const others = [...new Set(memberIds)].filter((id) => id !== actor.memberId);
    if (others.length === 0)
      throw new RpcFailure('VALIDATION_FAILED', 'name at least one other member');
    if (others.length > chatLimits.dmOthersMax)
      throw new RpcFailure('VALIDATION_FAILED', `at most ${chatLimits.dmOthersMax} others`);
    const everyone = [actor.memberId, ...others].sort();
    const at = this.clock.now();
    const { id, created } = await this.channels.findOrCreateDirect(everyone.join(','), at);
    if (created)
      for (const memberId of everyone) await this.channels.upsertMember(id, memberId, false, at);
    // Asking again after leaving brings the caller back; the others keep their own choice.
    else await this.channels.upsertMember(id, actor.memberId, false, at);
    const { channel, membership, moderator } = await this.access.memberWithChannel(actor, id);
    return this.view(channel, membership, moderator);
  }

  async get(actor: VerifiedActor, channelId: string): Promise<ChannelView> {
    const { channel, membership, moderator } = await this.access.memberWithChannel(
      actor,
      channelId,
    );
    return this.view(channel, membership, moderator);
  }

  async list(actor: VerifiedActor): Promise<ChannelView[]> {
    const memberships = await this.channels.activeMemberships(actor.memberId);
    const byId = new Map(memberships.map((m) => [m.channelId, m]));
    const channels = await this.channels.getMany([...byId.keys()]);
    const views = await Promise.all(
      channels.flatMap((c) => {
        const m = byId.get(c.id);
        return m ? [this.view(c, m, m.moderator || actor.role === 'admin')] : [];
      }),
    );
    return views.sort((a, b) => (b.lastMessageAt ?? '').localeCompare(a.lastMessageAt ?? ''));
  }

  async leave(actor: VerifiedActor, channelId: string): Promise<null> {
    const { channel } = await this.access.memberWithChannel(actor, channelId);
    if (channel.kind === 'space')
      throw new RpcFailure('INVALID_STATE', "a space's channel is left by leaving the space");
    await this.channels.deactivate(
      channelId,
      actor.memberId,
      [
        pendingEvent(chatEvents.channelMemberRemoved, actor.memberId, channelId, {
          channelId,
          memberId: actor.memberId,
        }),
      ],
      this.clock.now(),
    );
    return null;
  }

  async markRead(actor: VerifiedActor, channelId: string, seq: number) {
    const { channel } = await this.access.memberWithChannel(actor, channelId);
    const readSeq = await this.channels.advanceRead(
      channelId,
      actor.memberId,
      Math.min(seq, channel.lastSeq),
    );
    this.live.publish(channelId, {
      event: 'read.changed',
      payload: { channelId, memberId: actor.memberId, readSeq },
    });
    return { channelId, readSeq };
  }

  async mute(actor: VerifiedActor, channelId: string, memberId: string, minutes: number) {
    await this.access.moderator(actor, channelId);
    const until = minutes === 0 ? null : new Date(this.clock.now().getTime() + minutes * 60_000);
    if (!(await this.channels.setMute(channelId, memberId, until)))
      throw new RpcFailure('NOT_FOUND', 'not a member of this channel');
    return { mutedUntil: until ? until.toISOString() : null };
  }

  // --- space channels follow spaces' memberships (the chat-channel-members consumer) ---

  async spaceMemberSet(
    spaceId: string,
    memberId: string,
    role: SpaceRole,
    sourceSeq: number,
  ): Promise<void> {
    const at = this.clock.now();
    await this.channels.ensureSpaceChannel(spaceId, at);
    if (outsideRoles.has(role)) {
      await this.spaceMemberRemoved(spaceId, memberId, sourceSeq);
      return;
    }
    await this.channels.upsertMember(spaceId, memberId, moderatingRoles.has(role), at, sourceSeq);
  }

  async spaceMemberRemoved(spaceId: string, memberId: string, sourceSeq: number): Promise<void> {
    await this.channels.deactivate(
      spaceId,
      memberId,
      [
        pendingEvent(chatEvents.channelMemberRemoved, null, spaceId, {
          channelId: spaceId,
          memberId,
        }),
      ],
      this.clock.now(),
      sourceSeq,
    );
  }
}
