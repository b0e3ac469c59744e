import { Injectable } from '@nestjs/common';
import { identityEvents, type Invitation } from '@agora/proto';
import { RpcFailure, Clock, pendingEvent } from '@agora/platform';
import { CredentialsRepository } from '../auth/credentials.repository.js';
import { calendarDay } from '../auth/calendar-day.js';
import { normaliseEmail } from '../common/email.js';
import { MemberAccess } from '../members/member-access.service.js';
import { MemberRepository } from '../members/member.repository.js';
import type { UiLanguage } from '../members/member.types.js';
import { InvitationRepository, type InvitationRecord } from './invitation.repository.js';

/** Invitations one member may send per (UTC) day: MED Points pay for each, so they are capped. */
export const INVITATIONS_PER_DAY = 20;
/** How long an invitation link works. */
export const INVITATION_TTL_MS = 14 * 24 * 3600 * 1000;
const DAY_MS = 24 * 3600 * 1000;

export function toInvitationView(i: InvitationRecord): Invitation {
  return {
    id: i.id,
    email: i.email,
    message: i.message,
    status: i.status,
    createdAt: i.createdAt.toISOString(),
    acceptedAt: i.acceptedAt ? i.acceptedAt.toISOString() : null,
  };
}

function secondsToNextUtcDay(now: Date): number {
  const next = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1);
  return Math.max(1, Math.ceil((next - now.getTime()) / 1000));
}

@Injectable()
export class InvitationService {
  constructor(
    private readonly access: MemberAccess,
    private readonly members: MemberRepository,
    private readonly invitations: InvitationRepository,
    private readonly credentials: CredentialsRepository,
    private readonly clock: Clock,
  ) {}

  /**
   * Records the invitation with `invitation.sent` in its outbox; the mailer sends the mail from
   * there. The bus carries only ids: address and token stay in this database.
   */
  async create(
    actorId: string,
    rawEmail: string,
    message: string,
    language?: UiLanguage,
  ): Promise<Invitation> {
    const inviter = await this.access.requireActive(actorId);
    const email = normaliseEmail(rawEmail);
    const now = this.clock.now();
    if (email === inviter.email) {
      throw new RpcFailure('VALIDATION_FAILED', 'you cannot invite yourself', [
        { path: ['email'], code: 'self_invitation', message: 'you cannot invite yourself' },
      ]);
    }
    if (await this.invitations.findOpen(actorId, email, now)) {
      throw new RpcFailure(
        'CONFLICT',
        'you already invited this address; the invitation is still open',
      );
    }
    const day = calendarDay(now, 'UTC');
    if (
      !(await this.invitations.takeQuota(
        actorId,
        day,
        INVITATIONS_PER_DAY,
        new Date(now.getTime() + 2 * DAY_MS),
      ))
    ) {
      throw new RpcFailure('RATE_LIMITED', `at most ${INVITATIONS_PER_DAY} invitations a day`, {
        retryAfterSeconds: secondsToNextUtcDay(now),
        limit: INVITATIONS_PER_DAY,
      });
    }
    // Asked only once the day's allowance paid for the question, so a member cannot test more
    // than INVITATIONS_PER_DAY addresses a day for an account.
    if (await this.members.findActiveByEmail(email))
      throw new RpcFailure('CONFLICT', 'this person is already a member');
    const token = this.credentials.randomToken();
    const invitation: InvitationRecord = {
      id: this.invitations.newId(),
      inviterId: actorId,
      email,
      message,
      language: language ?? inviter.preferredLanguage,
      tokenHash: this.credentials.sha256(token),
      pendingToken: token,
      status: 'sent',
      createdAt: now,
      expiresAt: new Date(now.getTime() + INVITATION_TTL_MS),
      acceptedAt: null,
      acceptedMemberId: null,
    };
    await this.invitations.insert(invitation, [
      pendingEvent(identityEvents.invitationSent, actorId, invitation.id, {
        invitationId: invitation.id,
        inviterId: actorId,
      }),
    ]);
    return toInvitationView(invitation);
  }

  async list(actorId: string): Promise<Invitation[]> {
    await this.access.requireActive(actorId);
    return (await this.invitations.listByInviter(actorId)).map(toInvitationView);
  }

  /** What the register page shows for a link; unknown, used and expired links look the same. */
  async lookup(token: string): Promise<{ inviterName: string; email: string; message: string }> {
    const invitation = await this.invitations.findByTokenHash(this.credentials.sha256(token));
    const now = this.clock.now();
    const gone = () =>
      new RpcFailure('NOT_FOUND', 'this invitation link is invalid, used or expired');
    if (
      !invitation ||
      invitation.status !== 'sent' ||
      invitation.expiresAt.getTime() <= now.getTime()
    )
      throw gone();
    const inviter = await this.members.findById(invitation.inviterId);
    if (!inviter || inviter.status !== 'active') throw gone();
    return {
      inviterName: inviter.displayName,
      email: invitation.email,
      message: invitation.message,
    };
  }
}
