import {
  phaseStateSchema,
  sessionRoutes,
  type SessionCardView,
  type SessionView,
  type turnoutSchema,
} from '@agora/proto';
import type { z } from 'zod';
import type { ApiClient } from '$lib/api/client.js';
import type { LiveConnection } from '$lib/live.svelte.js';
import { clockOffsetMs, remainingMs } from './countdown.js';

export type Turnout = z.infer<typeof turnoutSchema>;

/** What the session needs of the member's socket (the app's `live`; a fake in specs). */
export type SessionEvents = Pick<LiveConnection, 'followSpace' | 'onEvent' | 'clockOffset'>;

/** A session as one answer of the server, with how far the server's clock is from this one. */
export interface SessionAnswer {
  view: SessionView;
  /** Null when the answer carries no `serverNow`. */
  offsetMs: number | null;
}

/**
 * The server's clock against this one, from the answer's `serverNow`; null when the answer has
 * none (then the socket's ping measures the server's clock instead: see `SessionLive`).
 */
export function serverOffset(view: SessionView, sentAt: number, receivedAt: number): number | null {
  const serverNow = 'serverNow' in view ? view.serverNow : undefined;
  return typeof serverNow === 'string' ? clockOffsetMs(serverNow, sentAt, receivedAt) : null;
}

/** Reads a session and the server's clock at that moment (`serverNow`, corrected by the round trip). */
export async function fetchSession(
  api: ApiClient,
  id: string,
  now: () => number = Date.now,
): Promise<SessionAnswer> {
  const sentAt = now();
  const view = await api.request(sessionRoutes.sessionGet, { params: { id } });
  return { view, offsetMs: serverOffset(view, sentAt, now()) };
}

/**
 * One session as the page shows it live: the server's view (phase, deadline, board controls), the
 * countdown by the server's clock, spaces' verdicts on board cards, the facilitator's turnout, and
 * the last summon. Events from the session's room update it; a full read follows each, since the
 * events say what changed, the read says everything (and the server's clock) as it is now.
 */
export class SessionLive {
  view = $state.raw() as SessionView;
  /** Spaces' verdict per card id (cards not in it are still being checked). */
  verdicts = $state.raw<Record<string, SessionCardView>>({});
  turnout = $state.raw<Turnout | null>(null);
  /** The pitch the facilitator last summoned everyone to, and a counter that changes on each summon. */
  summon = $state.raw<{ pitchIndex: number; seq: number } | null>(null);
  now = $state(Date.now());
  /** How far the server's clock is ahead of this one: from answers' `serverNow`, else a ping. */
  offsetMs = $state(0);
  readonly remaining = $derived(remainingMs(this.view.endsAt, this.offsetMs, this.now));

  #api: ApiClient;
  #live: SessionEvents;
  #reading: Promise<void> | null = null;
  #readAgain = false;
  #summons = 0;

  constructor(api: ApiClient, live: SessionEvents, initial: SessionAnswer) {
    this.#api = api;
    this.#live = live;
    this.view = initial.view;
    this.#setOffset(initial.offsetMs);
  }

  get id(): string {
    return this.view.id;
  }

  /** Follows the session's room and ticks the countdown; the returned function stops both. */
  connect(): () => void {
    const id = this.id;
    const mine = (payload: { sessionId: string }) => payload.sessionId === id;
    const stops = [
      this.#live.followSpace(id, (event) => {
        if (event === 'space.updated' || event.startsWith('space.member')) void this.reload();
      }),
      this.#live.onEvent('session.phase', (payload) => {
        const parsed = phaseStateSchema.safeParse(payload);
        if (!parsed.success || !mine(parsed.data)) return;
        // Shown at once; the read that follows brings the server's clock and the rest.
        const { phase, pitchIndex, endsAt } = parsed.data;
        this.view = { ...this.view, phase, pitchIndex, endsAt };
        void this.reload();
      }),
      this.#live.onEvent('session.board', (payload) => {
        if (!mine(payload)) return;
        const { locked, hideAuthors, spotlightCardId } = payload;
        this.view = { ...this.view, board: { locked, hideAuthors, spotlightCardId } };
      }),
      this.#live.onEvent('session.summon', (payload) => {
        if (!mine(payload)) return;
        this.summon = { pitchIndex: payload.pitchIndex, seq: ++this.#summons };
      }),
      this.#live.onEvent('session.card', (payload) => {
        if (!mine(payload)) return;
        void this.reloadCards();
      }),
      this.#live.onEvent('session.vote-cast', (payload) => {
        if (!mine(payload)) return;
        if (this.view.canFacilitate) void this.reloadTurnout();
      }),
    ];
    const tick = setInterval(() => (this.now = Date.now()), 250);
    void this.reloadCards();
    void this.measureClock();
    if (this.view.canFacilitate) void this.reloadTurnout();
    return () => {
      clearInterval(tick);
      for (const stop of stops) stop();
    };
  }

  /** Reads the session again; reads asked for meanwhile are merged into one more after it. */
  reload(): Promise<void> {
    if (this.#reading) {
      this.#readAgain = true;
      return this.#reading;
    }
    this.#reading = (async () => {
      try {
        do {
          this.#readAgain = false;
          const answer = await fetchSession(this.#api, this.id);
          this.view = answer.view;
          this.#setOffset(answer.offsetMs);
        } while (this.#readAgain);
      } catch {
        // Offline or refused: the next event or reconnection reads again.
      } finally {
        this.#reading = null;
      }
    })();
    return this.#reading;
  }

  /** A facilitator action answered with the session as it is now. */
  apply(view: SessionView, offsetMs: number | null = null): void {
    this.view = view;
    this.#setOffset(offsetMs);
  }

  #clockFromAnswers = false;

  #setOffset(offsetMs: number | null): void {
    if (offsetMs === null) return;
    this.#clockFromAnswers = true;
    this.offsetMs = offsetMs;
  }

  /** Without `serverNow` in the answers, the gateway's clock by a ping (again after reconnecting). */
  async measureClock(): Promise<void> {
    if (this.#clockFromAnswers) return;
    const offset = await this.#live.clockOffset();
    if (offset !== null && !this.#clockFromAnswers) this.offsetMs = offset;
  }

  async reloadCards(): Promise<void> {
    try {
      const { items } = await this.#api.request(sessionRoutes.cards, { params: { id: this.id } });
      this.verdicts = Object.fromEntries(items.map((card) => [card.cardId, card]));
    } catch {
      // Kept as they were; cards not judged yet show as being checked.
    }
  }

  async reloadTurnout(): Promise<void> {
    try {
      this.turnout = await this.#api.request(sessionRoutes.turnout, { params: { id: this.id } });
    } catch {
      // Only facilitators may read it; an older figure stays until the next vote.
    }
  }
}
