import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Session } from '@agora/proto';
import { PLATFORM_LOGGER, RpcFailure, type Logger, Clock } from '@agora/platform';
import { MemberRepository } from '../members/member.repository.js';
import type { MemberRecord } from '../members/member.types.js';
import { toPrivateMember } from '../members/member.view.js';
import { CredentialsRepository } from './credentials.repository.js';
import { SessionRepository, type SessionRecord } from './session.repository.js';

export const REFRESH_TTL_MS = 30 * 24 * 3600 * 1000;

export interface ClientInfo {
  ip: string;
  userAgent: string;
}

/** Access JWTs and rotating refresh tokens grouped in families. */
@Injectable()
export class SessionService {
  constructor(
    private readonly sessions: SessionRepository,
    private readonly members: MemberRepository,
    private readonly credentials: CredentialsRepository,
    private readonly clock: Clock,
    @Inject(PLATFORM_LOGGER) private readonly logger: Logger,
  ) {}

  /** A new session: a fresh family, or the next token of `family` when rotating. */
  async issue(
    member: MemberRecord,
    client: ClientInfo,
    family?: { familyId: string; familyCreatedAt: Date },
  ): Promise<Session> {
    const now = this.clock.now();
    const refreshToken = this.credentials.randomToken();
    const refreshExpiresAt = new Date(now.getTime() + REFRESH_TTL_MS);
    await this.sessions.insert({
      memberId: member.id,
      familyId: family?.familyId ?? randomUUID(),
      familyCreatedAt: family?.familyCreatedAt ?? now,
      tokenHash: this.credentials.sha256(refreshToken),
      createdAt: now,
      expiresAt: refreshExpiresAt,
      ip: client.ip,
      userAgent: client.userAgent,
    });
    const access = await this.credentials.signAccess(member.id, member.role, now);
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
    if (current.revokedAt) throw new RpcFailure('UNAUTHENTICATED', 'session ended; sign in again');
    if (current.rotatedAt) return this.reuse(current, now);
    if (current.expiresAt.getTime() <= now.getTime()) {
      throw new RpcFailure('UNAUTHENTICATED', 'session expired; sign in again');
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
    return { session, member };
  }

  /** Ends the session the token belongs to (its whole family). Unknown tokens are fine: already out. */
  async end(refreshToken: string): Promise<void> {
    const current = await this.sessions.findByHash(this.credentials.sha256(refreshToken));
    if (current) await this.sessions.revokeFamily(current.familyId, this.clock.now());
  }

  private async reuse(token: SessionRecord, now: Date): Promise<never> {
    const revoked = await this.sessions.revokeFamily(token.familyId, now);
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
