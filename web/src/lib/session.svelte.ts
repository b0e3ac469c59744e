import {
  identityRoutes,
  type AuthResponse,
  type PrivateMember,
  type registerRequestSchema,
} from '@agora/proto';
import type { z } from 'zod';
import { createApiClient, type ApiClient } from './api/client.js';
import { ApiError } from './api/errors.js';

export type SessionStatus = 'loading' | 'signed-in' | 'signed-out';

function browserTimeZone(): string | undefined {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}

/**
 * The signed-in member and their access token, held in memory only. The refresh token is an
 * httpOnly cookie on /api/auth; `restore()` trades it for a new access token on load.
 */
export class Session {
  user = $state<PrivateMember | null>(null);
  status = $state<SessionStatus>('loading');
  accessToken = $state<string | null>(null);
  /**
   * True from a sign-out the app started (logout, account deletion) until the login page shows:
   * the signed-in pages then leave the navigation to that code instead of redirecting themselves.
   */
  leaving = false;
  /**
   * Why a signed-in tab was signed out by the server (its refresh refused: the account suspended,
   * the session ended from another device); null after a sign-in. The login page says it.
   */
  endedBy = $state<ApiError | null>(null);
  readonly api: ApiClient;
  #refreshing: Promise<boolean> | null = null;

  constructor(fetchFn: typeof fetch = (...args) => fetch(...args)) {
    this.api = createApiClient(fetchFn, {
      token: () => this.accessToken,
      refresh: () => this.refresh(),
    });
  }

  get isAdmin(): boolean {
    return this.user?.role === 'admin';
  }

  #accept(auth: AuthResponse): void {
    this.endedBy = null;
    this.accessToken = auth.accessToken;
    this.user = auth.user;
    this.status = 'signed-in';
  }

  #clear(): void {
    this.accessToken = null;
    this.user = null;
    this.status = 'signed-out';
  }

  /**
   * One refresh at a time: concurrent callers share the same attempt, and tabs take turns (the
   * refresh cookie is single-use and shared by every tab: two tabs presenting it at once would look
   * like a stolen token and end the session). After another tab's turn the cookie holds its
   * successor, which this tab's request then presents.
   */
  refresh(): Promise<boolean> {
    this.#refreshing ??= (async () => {
      try {
        const timeZone = browserTimeZone();
        const auth = await oneTabAtATime(() =>
          this.api.request(identityRoutes.refresh, { body: timeZone ? { timeZone } : {} }),
        );
        this.#accept(auth);
        return true;
      } catch (err) {
        // Only a refused refresh signs out; a network blip keeps the member on the page.
        if (err instanceof ApiError && err.status >= 400 && err.status < 500) {
          if (this.status === 'signed-in') this.endedBy = err;
          this.#clear();
        } else if (this.status === 'loading') this.status = 'signed-out';
        return false;
      } finally {
        this.#refreshing = null;
      }
    })();
    return this.#refreshing;
  }

  /**
   * On load: restore the session from the refresh cookie, if there is one. Only the first call
   * asks the server (the root layout's load runs again on `invalidateAll`); later ones return
   * at once, since the session is known from then on.
   */
  async restore(): Promise<void> {
    if (this.status === 'loading') await this.refresh();
  }

  async login(email: string, password: string): Promise<PrivateMember> {
    const timeZone = browserTimeZone();
    const auth = await this.api.request(identityRoutes.login, {
      body: { email, password, ...(timeZone ? { timeZone } : {}) },
    });
    this.#accept(auth);
    return auth.user;
  }

  /**
   * The new member when the account works at once; null when the server mailed a link instead
   * (`check-mail`: the same answer whether or not the address already had an account).
   */
  async register(input: z.input<typeof registerRequestSchema>): Promise<PrivateMember | null> {
    const answer = await this.api.request(identityRoutes.register, { body: input });
    if ('status' in answer) return null;
    this.#accept(answer);
    return answer.user;
  }

  /** Takes a session another call handed out (a followed sign-up link). */
  accept(auth: AuthResponse): void {
    this.#accept(auth);
  }

  async logout(): Promise<void> {
    this.leaving = true;
    try {
      await this.api.request(identityRoutes.logout, {});
    } finally {
      this.#clear();
    }
  }

  /** Fetches the member again (their account changed elsewhere); quiet when signed out. */
  async reload(): Promise<void> {
    if (this.status !== 'signed-in') return;
    try {
      this.update(await this.api.request(identityRoutes.meGet, {}));
    } catch {
      // The next page action reports a lasting problem; a missed live update is not one.
    }
  }

  /** Replaces the member after a profile change (PATCH /me, uploads). */
  update(user: PrivateMember): void {
    this.user = user;
  }

  /** After account deletion the cookie is gone server-side: forget everything here too. */
  forget(): void {
    this.leaving = true;
    this.#clear();
  }
}

export const session = new Session();

/** Runs `fn` holding the browser-wide refresh lock (Web Locks), or at once where there is none. */
function oneTabAtATime<T>(fn: () => Promise<T>): Promise<T> {
  const locks = typeof navigator === 'undefined' ? undefined : navigator.locks;
  return locks ? locks.request('agora-session-refresh', fn) : fn();
}
