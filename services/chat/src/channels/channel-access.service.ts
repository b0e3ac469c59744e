import { Injectable } from '@nestjs/common';
import { Clock, RpcFailure, type VerifiedActor } from '@agora/platform';
import {
  ChannelRepository,
  type ChannelRecord,
  type MembershipRecord,
} from './channel.repository.js';

/** Who may read, post and moderate in a channel: its active members; moderators and admins moderate. */
@Injectable()
export class ChannelAccess {
  constructor(
    private readonly channels: ChannelRepository,
    private readonly clock: Clock,
  ) {}

  /**
   * The caller's membership, for every call made in a channel (send, read, react…): one read
   * when they are a member; 404 for an unknown channel, 403 for a non-member. A membership is only
   * ever written for a channel that exists, so an active one answers both questions.
   */
  async member(
    actor: VerifiedActor,
    channelId: string,
  ): Promise<{ membership: MembershipRecord; moderator: boolean }> {
    const membership = await this.channels.membership(channelId, actor.memberId);
    if (!membership?.active) {
      if (!(await this.channels.get(channelId)))
        throw new RpcFailure('NOT_FOUND', 'no such channel');
      throw new RpcFailure('FORBIDDEN', 'not a member of this channel');
    }
    return { membership, moderator: membership.moderator || actor.role === 'admin' };
  }

  /**
   * As `member`, with the channel itself (its kind, last seq and time), read alongside; the read
   * position includes the caller's own messages (what a channel view shows).
   */
  async memberWithChannel(
    actor: VerifiedActor,
    channelId: string,
  ): Promise<{ channel: ChannelRecord; membership: MembershipRecord; moderator: boolean }> {
    const [channel, membership] = await Promise.all([
      this.channels.get(channelId),
      this.channels.membershipSettled(channelId, actor.memberId),
    ]);
    if (!channel) throw new RpcFailure('NOT_FOUND', 'no such channel');
    if (!membership?.active) throw new RpcFailure('FORBIDDEN', 'not a member of this channel');
    return { channel, membership, moderator: membership.moderator || actor.role === 'admin' };
  }

  async moderator(actor: VerifiedActor, channelId: string) {
    const access = await this.member(actor, channelId);
    if (!access.moderator) throw new RpcFailure('FORBIDDEN', 'only moderators may do this here');
    return access;
  }

  /** Refuses a member muted in the channel, saying until when. */
  requireNotMuted(membership: MembershipRecord): void {
    const until = membership.mutedUntil;
    if (until && until.getTime() > this.clock.now().getTime())
      throw new RpcFailure('FORBIDDEN', `muted in this channel until ${until.toISOString()}`);
  }

  /** `chat.channel.access`: may the member follow the channel's room? */
  async allowed(memberId: string, channelId: string): Promise<boolean> {
    const membership = await this.channels.membership(channelId, memberId);
    return membership?.active === true;
  }
}
