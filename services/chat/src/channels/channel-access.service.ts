import { Injectable } from '@nestjs/common';
import { Clock, RpcFailure, type VerifiedActor } from '@agora/platform';
import {
  ChannelRepository,
  type ChannelRecord,
  type MembershipRecord,
} from './channel.repository.js';
import { SenderMemberships, type SenderMembership } from './sender-memberships.js';

/** Who may read, post and moderate in a channel: its active members; moderators and admins moderate. */
@Injectable()
export class ChannelAccess {
  private readonly senders = new SenderMemberships();

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
   * The sender's membership for a send, remembered from an earlier send when there was one
   * (`remembered`: not read now; only one not muted then is remembered). It holds only with a seq reserved under its `membersRev`
   * (`ChannelRepository.reserveSeq`); when that misses, `forgetSender` and ask again. Read fresh:
   * the channel's `membersRev` first, then the membership (a change between them moves the rev
   * again), with `member`'s refusals.
   */
  async sender(
    actor: VerifiedActor,
    channelId: string,
  ): Promise<SenderMembership & { remembered: boolean }> {
    const known = this.senders.get(channelId, actor.memberId);
    if (known) return { ...known, remembered: true };
    const membersRev = await this.channels.membersRev(channelId);
    if (membersRev === null) throw new RpcFailure('NOT_FOUND', 'no such channel');
    const membership = await this.channels.membership(channelId, actor.memberId);
    if (!membership?.active) throw new RpcFailure('FORBIDDEN', 'not a member of this channel');
    // A muted one is not remembered: once unmuted (the rev moves) they must be read again to post.
    if (!this.isMuted(membership)) this.senders.set({ membership, membersRev });
    return { membership, membersRev, remembered: false };
  }

  /** The remembered membership did not hold (its reservation missed): read it again next time. */
  forgetSender(actor: VerifiedActor, channelId: string): void {
    this.senders.forget(channelId, actor.memberId);
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
    if (this.isMuted(membership))
      throw new RpcFailure(
        'FORBIDDEN',
        `muted in this channel until ${membership.mutedUntil?.toISOString()}`,
      );
  }

  isMuted(membership: MembershipRecord): boolean {
    const until = membership.mutedUntil;
    return until !== null && until.getTime() > this.clock.now().getTime();
  }

  /** `chat.channel.access`: may the member follow the channel's room? */
  async allowed(memberId: string, channelId: string): Promise<boolean> {
    const membership = await this.channels.membership(channelId, memberId);
    return membership?.active === true;
  }
}
