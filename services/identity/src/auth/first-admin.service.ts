import { Inject, Injectable } from '@nestjs/common';
import { Clock } from '@agora/platform';
import { IDENTITY_CONFIG, type IdentityConfig } from '../common/identity-config.js';
import { MemberRepository } from '../members/member.repository.js';
import type { Role } from '../members/member.types.js';
import { AdminClaimRepository } from './admin-claim.repository.js';

/** A claim older than this whose member never appeared was left by a crashed registration. */
export const ABANDONED_CLAIM_MS = 60_000;

export interface RoleDecision {
  role: Role;
  /** Gives back what was claimed, when the registration fails after deciding. */
  release(): Promise<void>;
}

const keep = (role: Role): RoleDecision => ({ role, release: () => Promise.resolve() });

/**
 * Who becomes admin on a fresh install: the address in ADMIN_EMAIL when set, otherwise the
 * first account. "First" is decided by a unique singleton document, so two simultaneous
 * registrations can never both win.
 */
@Injectable()
export class FirstAdmin {
  constructor(
    @Inject(IDENTITY_CONFIG) private readonly config: IdentityConfig,
    private readonly claims: AdminClaimRepository,
    private readonly members: MemberRepository,
    private readonly clock: Clock,
  ) {}

  /**
   * Whether registering `email` now would make the install's admin (nothing claimed yet, or it is
   * ADMIN_EMAIL): such a registration signs in at once, with nobody else yet to read mail for it.
   * A peek only; `roleFor` decides.
   */
  async wouldBeAdmin(email: string): Promise<boolean> {
    if (this.config.ADMIN_EMAIL) return email === this.config.ADMIN_EMAIL;
    return (await this.claims.current()) === null;
  }

  /**
   * Whether the next account registered becomes the admin, whoever registers it: no ADMIN_EMAIL
   * and nothing claimed yet (what the visitors' first page tells whoever sets the install up).
   */
  async firstAccountBecomesAdmin(): Promise<boolean> {
    if (this.config.ADMIN_EMAIL) return false;
    return (await this.claims.current()) === null;
  }

  async roleFor(memberId: string, email: string): Promise<RoleDecision> {
    if (this.config.ADMIN_EMAIL)
      return keep(email === this.config.ADMIN_EMAIL ? 'admin' : 'member');
    const now = this.clock.now();
    const release = (): Promise<void> => this.claims.release(memberId);
    if (await this.claims.claim(memberId, now)) return { role: 'admin', release };
    const held = await this.claims.current();
    if (
      held &&
      now.getTime() - held.claimedAt.getTime() > ABANDONED_CLAIM_MS &&
      (await this.members.findById(held.memberId)) === null &&
      (await this.claims.takeOver(held.memberId, memberId, now))
    ) {
      return { role: 'admin', release };
    }
    return keep('member');
  }
}
