import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Optional } from '@nestjs/common';
import type { DeviceSession, Session, SessionEndCause } from '@agora/proto';
import {
  AccessTokenSigner,
  PLATFORM_LOGGER,
  RpcFailure,
  type Logger,
  type VerifiedActor,
  Clock,
} from '@agora/platform';
import { SuspensionRepository } from '../admin/suspension.repository.js';
import { IDENTITY_CONFIG, type IdentityConfig } from '../common/identity-config.js';
import { MemberRepository } from '../members/member.repository.js';
import type { MemberRecord } from '../members/member.types.js';
import { toPrivateMember } from '../members/member.view.js';
import { CredentialsRepository } from './credentials.repository.js';
import { describeDevice } from './session-device.js';
import { SessionEventsRepository } from './session-events.repository.js';
import { EmailVerificationRepository } from '../recovery/email-verification.repository.js';
import { SessionRepository, type SessionRecord } from './session.repository.js';

export const REFRESH_TTL_MS = 30 * 24 * 3600 * 1000;
const DAY_MS = 24 * 3600 * 1000;

/** The refusal a suspended account meets at sign-in and refresh: it says why, and since when. */
export function suspendedFailure(reason: string, at: Date): RpcFailure {
  return new RpcFailure('ACCOUNT_SUSPENDED', `this account is suspended: ${reason}`, {
    reason,
    at: at.toISOString(),
  });
}

export interface ClientInfo {
  ip: string;
  userAgent: string;
}

/**
 * Access JWTs and rotating refresh tokens grouped in families. A family is one sign-in (a device on
 * the sessions page); its id is the access tokens' `sid` claim. A family lives at most
 * SESSION_MAX_AGE_DAYS from the sign-in, however often it is refreshed.
 */
@Injectable()
export class SessionService {
  private readonly maxAgeMs: number;

  constructor(
    private readonly sessions: SessionRepository,
    private readonly members: MemberRepository,
    private readonly credentials: CredentialsRepository,
    private readonly signer: AccessTokenSigner,
    private readonly suspensions: SuspensionRepository,
    private readonly events: SessionEventsRepository,
    @Inject(IDENTITY_CONFIG)
    config: Pick<IdentityConfig, 'SESSION_MAX_AGE_DAYS' | 'AUTH_REQUIRE_VERIFIED_EMAIL'>,
    private readonly clock: Clock,
    @Inject(PLATFORM_LOGGER) private readonly logger: Logger,
    // accounts-recovery: with AUTH_REQUIRE_VERIFIED_EMAIL, an unverified member's access tokens
    // say `email_verified: false` (the gateway refuses what takes part); absent in unit tests.
    @Optional() private readonly verifications?: EmailVerificationRepository,
  ) {
    this.maxAgeMs = (config.SESSION_MAX_AGE_DAYS ?? 90) * DAY_MS;
    this.requireVerified = config.AUTH_REQUIRE_VERIFIED_EMAIL === true;
  }

  private readonly requireVerified: boolean;

  /** `false` when the install requires a verified address and the member has none (else absent). */
  private async emailVerifiedClaim(member: MemberRecord): Promise<{ emailVerified?: false }> {
    if (!this.requireVerified || !this.verifications) return {};
    return (await this.verifications.isVerified(member.id, member.email))
      ? {}
      : { emailVerified: false };
  }

  /** When a sign-in made at `familyCreatedAt` ends at the latest. */
  endOf(familyCreatedAt: Date): Date {
    return new Date(familyCreatedAt.getTime() + this.maxAgeMs);
  }

  /** Refuses a suspended account, saying why. */
  private async assertNotSuspended(memberId: string): Promise<void> {
    const suspension = await this.suspensions.find(memberId);
    if (suspension?.suspended) throw suspendedFailure(suspension.reason, suspension.at);
  }

  /** A new session: a fresh family, or the next token of `family` when rotating. */
  async issue(
    member: MemberRecord,
    client: ClientInfo,
    family?: { familyId: string; familyCreatedAt: Date },
  ): Promise<Session> {
    await this.assertNotSuspended(member.id);
    const now = this.clock.now();
    const refreshToken = this.credentials.randomToken();
    const familyId = family?.familyId ?? randomUUID();
    const familyCreatedAt = family?.familyCreatedAt ?? now;
    const refreshExpiresAt = new Date(
      Math.min(now.getTime() + REFRESH_TTL_MS, this.endOf(familyCreatedAt).getTime()),
    );
    await this.sessions.insert({
      memberId: member.id,
      familyId,
      familyCreatedAt,
      tokenHash: this.credentials.sha256(refreshToken),
      createdAt: now,
      expiresAt: refreshExpiresAt,
      ip: client.ip,
      userAgent: client.userAgent,
    });
    const access = await this.signer.sign(
      {
        sub: member.id,
        role: member.role,
        sid: familyId,
        ...(await this.emailVerifiedClaim(member)),
      },
      now,
    );
    return {
      accessToken: access.token,
      accessExpiresAt: access.expiresAt.toISOString(),
      refreshToken,
      refreshExpiresAt: refreshExpiresAt.toISOString(),
      user: toPrivateMember(member),
    };
  }

  /**
   * Exchanges a refresh token for a new session. A token presented after it was already
   * exchanged means it was copied: the whole family is revoked, thief and owner both signed out.
   */
  async rotate(
    refreshToken: string,
    client: ClientInfo,
  ): Promise<{ session: Session; member: MemberRecord }> {
    const now = this.clock.now();
    const current = await this.sessions.findByHash(this.credentials.sha256(refreshToken));
    if (!current) throw new RpcFailure('UNAUTHENTICATED', 'session not found; sign in again');
    // First: a suspended member's tab hears why it was signed out (its sessions were ended too).
    await this.assertNotSuspended(current.memberId);
    if (current.revokedAt) throw new RpcFailure('UNAUTHENTICATED', 'session ended; sign in again');
    if (current.rotatedAt) return this.reuse(current, now);
    if (current.expiresAt.getTime() <= now.getTime()) {
      throw new RpcFailure('UNAUTHENTICATED', 'session expired; sign in again');
    }
    // Tokens issued before the absolute lifetime existed may outlive it: it bounds them too.
    if (this.endOf(current.familyCreatedAt).getTime() <= now.getTime()) {
      await this.sessions.revokeFamily(current.familyId, now);
      throw new RpcFailure('UNAUTHENTICATED', 'session reached its maximum age; sign in again');
    }
    if (!(await this.sessions.markRotated(current.id, now))) return this.reuse(current, now);
    const member = await this.members.findById(current.memberId);
    if (!member || member.status !== 'active') {
      await this.sessions.revokeFamily(current.familyId, now);
      throw new RpcFailure('UNAUTHENTICATED', 'account not found or deleted');
    }
    const session = await this.issue(member, client, {
      familyId: current.familyId,
      familyCreatedAt: current.familyCreatedAt,
    });
    // A revocation that ran between the exchange and the new token's insert missed the new token:
    // the family is over all the same.
    if (await this.sessions.isFamilyRevoked(current.familyId)) {
      await this.sessions.revokeFamily(current.familyId, this.clock.now());
      throw new RpcFailure('UNAUTHENTICATED', 'session ended; sign in again');
    }
    return { session, member };
  }

  /** Ends the session the token belongs to (its whole family). Unknown tokens are fine: already out. */
  async end(refreshToken: string): Promise<void> {
    const current = await this.sessions.findByHash(this.credentials.sha256(refreshToken));
    if (current) await this.endFamilies(current.memberId, [current.familyId], 'signed-out', null);
  }

  /** The member's live sessions (one per sign-in), newest activity first; `current` is the caller's. */
  async list(actor: VerifiedActor): Promise<DeviceSession[]> {
    const now = this.clock.now();
    const heads = new Map<string, SessionRecord>();
    for (const token of await this.sessions.liveForMember(actor.memberId, now)) {
      if (this.endOf(token.familyCreatedAt).getTime() <= now.getTime()) continue;
      // Newest first: the first token seen of a family is its latest (its current one).
      if (!heads.has(token.familyId)) heads.set(token.familyId, token);
    }
    return [...heads.values()].map((t) => ({
      id: t.familyId,
      ...describeDevice(t.userAgent),
      createdAt: t.familyCreatedAt.toISOString(),
      lastSeenAt: t.createdAt.toISOString(),
      endsAt: this.endOf(t.familyCreatedAt).toISOString(),
      current: t.familyId === actor.sessionId,
    }));
  }

  /** Ends one of the caller's sessions; another member's (or an unknown) id is NOT_FOUND. */
  async revoke(actor: VerifiedActor, sessionId: string): Promise<void> {
    const live = await this.sessions.liveForMember(actor.memberId, this.clock.now());
    if (!live.some((t) => t.familyId === sessionId))
      throw new RpcFailure('NOT_FOUND', 'no such session (it may have ended already)');
    await this.endFamilies(actor.memberId, [sessionId], 'revoked', actor.memberId);
  }

  /** Ends every session of the caller but the one asking. */
  async revokeOthers(actor: VerifiedActor): Promise<number> {
    if (!actor.sessionId)
      throw new RpcFailure('INVALID_STATE', 'this sign-in predates sessions: sign in again first');
    return this.endAllOf(actor.memberId, 'revoked', actor.sessionId, actor.memberId);
  }

  /**
   * Ends every session of a member, except `exceptSessionId` when given (password change keeps the
   * device that changed it; a reset or a suspension keeps none). Their refresh tokens are refused
   * from now on, and `identity.sessions.revoked` makes the gateways refuse their access tokens and
   * disconnect their sockets. Returns how many sessions ended.
   */
  async endAllOf(
    memberId: string,
    cause: SessionEndCause,
    exceptSessionId?: string | null,
    actor: string | null = null,
  ): Promise<number> {
    const live = await this.sessions.liveForMember(memberId, this.clock.now());
    const families = [...new Set(live.map((t) => t.familyId))].filter(
      (id) => id !== exceptSessionId,
    );
    await this.endFamilies(memberId, families, cause, actor);
    return families.length;
  }

  private async endFamilies(
    memberId: string,
    familyIds: readonly string[],
    cause: SessionEndCause,
    actor: string | null,
  ): Promise<void> {
    if (familyIds.length === 0) return;
    const now = this.clock.now();
    await this.events.revoked(actor, memberId, familyIds, cause, now);
    await this.sessions.revokeFamilies(familyIds, now, cause);
  }

  private async reuse(token: SessionRecord, now: Date): Promise<never> {
    const revoked = await this.sessions.revokeFamily(token.familyId, now, 'reused');
    // Refused at refresh already; the event also ends the thief's access tokens and sockets.
    await this.events
      .revoked(null, token.memberId, [token.familyId], 'reused', now)
      .catch((err: unknown) =>
        this.logger.error({ err, familyId: token.familyId }, 'session revocation not announced'),
      );
    // a security event worth an operator's attention: someone holds a copy of a refresh token
    this.logger.warn(
      { memberId: token.memberId, familyId: token.familyId, revoked },
      'refresh token reused: session family revoked',
    );
    throw new RpcFailure(
      'UNAUTHENTICATED',
      'refresh token already used; all sessions of this sign-in were ended',
    );
  }
}
