import { afterEach, describe, expect, it } from 'vitest';
import type { RouteDef, SessionView } from '@agora/proto';
import type { ApiClient } from '$lib/api/client.js';
import { serverOffset, SessionLive, type SessionEvents } from './session-live.svelte.js';

const id = 'a'.repeat(24);
const view = (over: Partial<SessionView> = {}): SessionView =>
  ({
    id,
    kind: 'session',
    title: 'Innovation Live',
    phase: 'lobby',
    pitchIndex: null,
    endsAt: null,
    board: { locked: false, hideAuthors: false, spotlightCardId: null },
    pitches: [],
    canFacilitate: false,
    myDotsLeft: null,
    ...over,
  }) as SessionView;

/** A room of events the spec emits by hand, like the gateway would. */
function fakeRoom() {
  const listeners = new Map<string, ((payload: unknown) => void)[]>();
  const followed: string[] = [];
  let clock: number | null = null;
  const events: SessionEvents = {
    clockOffset: () => Promise.resolve(clock),
    followSpace(spaceId) {
      followed.push(spaceId);
      return () => undefined;
    },
    onEvent(event, listener) {
      const list = listeners.get(event) ?? [];
      list.push(listener as (payload: unknown) => void);
      listeners.set(event, list);
      return () =>
        listeners.set(
          event,
          (listeners.get(event) ?? []).filter((l) => l !== listener),
        );
    },
  };
  const emit = (event: string, payload: unknown) =>
    (listeners.get(event) ?? []).forEach((l) => l(payload));
  return { events, emit, followed, setClock: (offset: number | null) => (clock = offset) };
}

/** GET /sessions/:id answers `current()` after `gate` opens; every read is counted. */
function fakeApi(current: () => SessionView) {
  let reads = 0;
  let open: () => void = () => undefined;
  let gate = Promise.resolve();
  const api: ApiClient = {
    async request<R extends RouteDef>(route: R) {
      if (route.path === '/sessions/:id') {
        reads += 1;
        await gate;
        return current() as never;
      }
      return { items: [] } as never;
    },
  };
  return {
    api,
    reads: () => reads,
    hold: () => {
      gate = new Promise<void>((r) => (open = r));
    },
    release: () => open(),
  };
}

let stop: (() => void) | undefined;
afterEach(() => stop?.());

describe('a session followed live', () => {
  it('shows a phase change at once and then reads the session again', async () => {
    let server = view();
    const api = fakeApi(() => server);
    const room = fakeRoom();
    const live = new SessionLive(api.api, room.events, { view: view(), offsetMs: 0 });
    stop = live.connect();
    expect(room.followed).toEqual([id]);

    server = view({ phase: 'pitch', pitchIndex: 0, endsAt: '2026-12-01T15:05:00.000Z' });
    room.emit('session.phase', {
      sessionId: id,
      phase: 'pitch',
      pitchIndex: 0,
      endsAt: '2026-12-01T15:05:00.000Z',
    });
    expect(live.view.phase).toBe('pitch');
    await expect.poll(() => api.reads()).toBe(1);
  });

  it('ignores another session’s events and malformed payloads', () => {
    const api = fakeApi(() => view());
    const room = fakeRoom();
    const live = new SessionLive(api.api, room.events, { view: view(), offsetMs: 0 });
    stop = live.connect();
    room.emit('session.phase', {
      sessionId: 'b'.repeat(24),
      phase: 'vote',
      pitchIndex: null,
      endsAt: null,
    });
    room.emit('session.phase', { sessionId: id, phase: 'dancing', pitchIndex: null, endsAt: null });
    room.emit('session.board', {
      sessionId: 'b'.repeat(24),
      locked: true,
      hideAuthors: true,
      spotlightCardId: null,
    });
    expect(live.view.phase).toBe('lobby');
    expect(live.view.board.locked).toBe(false);
    expect(api.reads()).toBe(0);
  });

  it('merges reads asked for while one is running into one more', async () => {
    const api = fakeApi(() => view({ phase: 'vote' }));
    const live = new SessionLive(api.api, fakeRoom().events, { view: view(), offsetMs: 0 });
    api.hold();
    const first = live.reload();
    void live.reload();
    void live.reload();
    api.release();
    await first;
    expect(api.reads()).toBe(2);
    expect(live.view.phase).toBe('vote');
  });

  it('counts summons and applies board controls from the room', () => {
    const live = new SessionLive(fakeApi(() => view()).api, fakeRoom().events, {
      view: view(),
      offsetMs: 0,
    });
    const room = fakeRoom();
    const followed = new SessionLive(fakeApi(() => view()).api, room.events, {
      view: view(),
      offsetMs: 0,
    });
    stop = followed.connect();
    room.emit('session.summon', { sessionId: id, pitchIndex: 2 });
    room.emit('session.summon', { sessionId: id, pitchIndex: 2 });
    expect(followed.summon).toEqual({ pitchIndex: 2, seq: 2 });
    room.emit('session.board', {
      sessionId: id,
      locked: true,
      hideAuthors: false,
      spotlightCardId: null,
    });
    expect(followed.view.board.locked).toBe(true);
    expect(live.summon).toBeNull();
  });

  it('counts down by the server clock from the answer’s serverNow, when it carries one', () => {
    const at = Date.parse('2026-12-01T15:00:00.000Z');
    const withClock = { ...view(), serverNow: new Date(at + 60_000).toISOString() } as SessionView;
    expect(serverOffset(withClock, at, at)).toBe(60_000);
    expect(serverOffset(view(), at, at)).toBeNull();
    const live = new SessionLive(fakeApi(() => view()).api, fakeRoom().events, {
      view: view({ endsAt: new Date(at + 90_000).toISOString() }),
      offsetMs: 60_000,
    });
    live.now = at;
    expect(live.remaining).toBe(30_000);
  });

  it('takes the server clock from a ping when answers carry no serverNow, and keeps serverNow when they do', async () => {
    const room = fakeRoom();
    room.setClock(42_000);
    const live = new SessionLive(fakeApi(() => view()).api, room.events, {
      view: view(),
      offsetMs: null,
    });
    stop = live.connect();
    await expect.poll(() => live.offsetMs).toBe(42_000);

    const answered = new SessionLive(fakeApi(() => view()).api, room.events, {
      view: view(),
      offsetMs: 7_000,
    });
    await answered.measureClock();
    expect(answered.offsetMs).toBe(7_000);
    answered.apply(view(), null);
    expect(answered.offsetMs).toBe(7_000);
  });
});
