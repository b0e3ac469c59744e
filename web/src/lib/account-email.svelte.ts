import { recoveryRoutes, type AccountEmailState } from '@agora/proto';
import { session, type Session } from './session.svelte.js';

/**
 * The signed-in member's address and whether it is confirmed (the unverified banner, the security
 * page). Read once per member and address; `load({ force: true })` after a change.
 */
export class AccountEmail {
  state = $state<AccountEmailState | null>(null);
  #loadedFor: string | null = null;

  constructor(private readonly session: Session) {}

  async load({ force = false } = {}): Promise<void> {
    const user = this.session.user;
    if (!user) {
      this.state = null;
      this.#loadedFor = null;
      return;
    }
    const key = `${user.id}:${user.email}`;
    if (!force && this.#loadedFor === key) return;
    this.#loadedFor = key;
    try {
      this.state = await this.session.api.request(recoveryRoutes.myEmailState, {});
    } catch {
      // No banner is better than a wrong one; the next page load asks again.
      this.#loadedFor = null;
    }
  }
}

/** The tab's one instance. */
export const accountEmail = new AccountEmail(session);
