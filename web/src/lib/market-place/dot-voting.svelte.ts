import { sessionRoutes } from '@agora/proto';
import { ApiError } from '$lib/api/errors.js';
import type { ApiClient } from '$lib/api/client.js';
import { DotIntentions, sameTarget, type DotStorage, type DotTarget } from './vote-keys.js';

/** Why a dot was not counted, for the message the page shows. */
export type DotRefusal = 'refused' | 'offline' | 'failed';

/**
 * A member's dots in one session's vote: each click is one intended dot with its key stored
 * first (see `vote-keys.ts`); the request is the same whatever happens to the page, so the server
 * counts each intended dot exactly once. Dots still unacknowledged after a reload or a lost
 * connection are sent again with their keys (`resend`).
 */
export class DotVoting {
  dotsLeft = $state<number | null>(null);
  /** Targets with a dot on its way (their buttons wait). */
  sending = $state.raw<DotTarget[]>([]);
  /** Dots this tab saw counted, per target (`pitchIndex` or `pitchIndex:cardId`). */
  given = $state.raw<Record<string, number>>({});
  refusal = $state<DotRefusal | null>(null);

  #api: ApiClient;
  #sessionId: string;
  #intentions: DotIntentions;

  constructor(
    api: ApiClient,
    scope: { memberId: string; sessionId: string; dotsLeft: number | null },
    storage: DotStorage | null,
  ) {
    this.#api = api;
    this.#sessionId = scope.sessionId;
    this.dotsLeft = scope.dotsLeft;
    this.#intentions = new DotIntentions(storage, scope);
  }

  isSending(target: DotTarget): boolean {
    return this.sending.some((t) => sameTarget(t, target));
  }

  givenTo(target: DotTarget): number {
    return this.given[targetKey(target)] ?? 0;
  }

  /** Spends one dot on `target` (a second click while it is on its way is the same dot). */
  async give(target: DotTarget): Promise<void> {
    const { dot, fresh } = this.#intentions.intend(target);
    if (!fresh && this.isSending(target)) return;
    await this.#send(dot.key, dot.target);
  }

  /** Sends every dot not acknowledged yet, with the key it was given (after a reload or offline). */
  async resend(): Promise<void> {
    for (const dot of this.#intentions.pending()) {
      if (!this.isSending(dot.target)) await this.#send(dot.key, dot.target);
    }
  }

  /** The vote is over: keys still waiting can never count. */
  forgetPending(): void {
    this.#intentions.clear();
  }

  async #send(key: string, target: DotTarget): Promise<void> {
    this.sending = [...this.sending, target];
    this.refusal = null;
    try {
      const receipt = await this.#api.request(sessionRoutes.voteCast, {
        params: { id: this.#sessionId },
        body: {
          pitchIndex: target.pitchIndex,
          ...(target.cardId ? { cardId: target.cardId } : {}),
          dots: 1,
          idempotencyKey: key,
        },
      });
      this.#intentions.settle(key);
      this.dotsLeft = receipt.dotsLeft;
      if (receipt.counted) {
        const k = targetKey(target);
        this.given = { ...this.given, [k]: (this.given[k] ?? 0) + 1 };
      }
    } catch (err) {
      this.refusal = refusalOf(err);
      // Refused for good (the vote is not open, no dots left): this dot will never count.
      if (this.refusal === 'refused') this.#intentions.settle(key);
    } finally {
      this.sending = this.sending.filter((t) => !sameTarget(t, target));
    }
  }
}

export function targetKey(target: DotTarget): string {
  return target.cardId ? `${target.pitchIndex}:${target.cardId}` : String(target.pitchIndex);
}

/** What a failed vote means for the member; a network failure keeps the dot to send again. */
export function refusalOf(err: unknown): DotRefusal {
  if (!(err instanceof ApiError)) return 'failed';
  if (err.status === 0) return 'offline';
  // 409: not the vote phase, or no dots left; 403: not a participant of this session.
  if (err.code === 'INVALID_STATE' || err.code === 'FORBIDDEN') return 'refused';
  return 'failed';
}
