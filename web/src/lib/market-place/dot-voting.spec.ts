import { describe, expect, it } from 'vitest';
import type { RouteDef } from '@agora/proto';
import type { ApiClient } from '$lib/api/client.js';
import { ApiError } from '$lib/api/errors.js';
import { DotVoting, refusalOf, targetKey } from './dot-voting.svelte.js';
import type { DotStorage } from './vote-keys.js';

class MemoryStorage implements DotStorage {
  readonly items = new Map<string, string>();
  getItem = (key: string) => this.items.get(key) ?? null;
  setItem = (key: string, value: string) => void this.items.set(key, value);
  removeItem = (key: string) => void this.items.delete(key);
}

interface Sent {
  idempotencyKey: string;
  pitchIndex: number;
  cardId?: string;
}

/** The server's rule: a key counts once, within a budget of `budget` dots. */
function fakeServer(budget: number, { fail = 0 } = {}) {
  const counted = new Map<string, Sent>();
  const sent: Sent[] = [];
  let failures = fail;
  const release: (() => void)[] = [];
  let hold = false;
  const api: ApiClient = {
    async request<R extends RouteDef>(_route: R, input: unknown) {
      const body = (input as { body: Sent }).body;
      sent.push(body);
      if (hold) await new Promise<void>((r) => release.push(r));
      if (failures > 0) {
        failures -= 1;
        throw new ApiError(0, 'NETWORK', 'offline');
      }
      const repeat = counted.has(body.idempotencyKey);
      if (!repeat && counted.size >= budget) throw new ApiError(409, 'INVALID_STATE', 'no dots');
      if (!repeat) counted.set(body.idempotencyKey, body);
      return {
        idempotencyKey: body.idempotencyKey,
        pitchIndex: body.pitchIndex,
        cardId: body.cardId ?? null,
        dots: 1,
        counted: !repeat,
        dotsLeft: budget - counted.size,
      } as never;
    },
  };
  return {
    api,
    sent,
    counted,
    holdAnswers: () => (hold = true),
    answerAll: () => {
      hold = false;
      release.splice(0).forEach((r) => r());
    },
  };
}

const scope = { memberId: 'a'.repeat(24), sessionId: 'b'.repeat(24), dotsLeft: 3 };

describe('dots in the vote', () => {
  it('a double click while the dot is on its way counts one dot', async () => {
    const server = fakeServer(3);
    const voting = new DotVoting(server.api, scope, new MemoryStorage());
    server.holdAnswers();
    const first = voting.give({ pitchIndex: 0 });
    const second = voting.give({ pitchIndex: 0 });
    expect(voting.isSending({ pitchIndex: 0 })).toBe(true);
    server.answerAll();
    await Promise.all([first, second]);
    expect(server.sent).toHaveLength(1);
    expect(server.counted.size).toBe(1);
    expect(voting.dotsLeft).toBe(2);
    expect(voting.givenTo({ pitchIndex: 0 })).toBe(1);
  });

  it('a dot lost offline is sent again with the same key after a reload, and counts once', async () => {
    const storage = new MemoryStorage();
    const server = fakeServer(3, { fail: 1 });
    const before = new DotVoting(server.api, scope, storage);
    await before.give({ pitchIndex: 1 });
    expect(before.refusal).toBe('offline');
    // The page reloads: a new controller over the same sessionStorage.
    const after = new DotVoting(server.api, scope, storage);
    await after.resend();
    expect(server.sent.map((s) => s.idempotencyKey)).toEqual([
      server.sent[0]?.idempotencyKey,
      server.sent[0]?.idempotencyKey,
    ]);
    expect(server.counted.size).toBe(1);
    // Resending again sends nothing: the key was settled.
    await after.resend();
    expect(server.sent).toHaveLength(2);
  });

  it('an answer lost after the server counted: the repeat is not counted twice', async () => {
    const storage = new MemoryStorage();
    const server = fakeServer(3);
    const tab = new DotVoting(server.api, scope, storage);
    await tab.give({ pitchIndex: 0, cardId: 'c'.repeat(32) });
    // Pretend the answer never arrived: the key is still stored, as it was before the answer.
    const key = server.sent[0]?.idempotencyKey ?? '';
    storage.setItem(
      `agora:dots:${scope.memberId}:${scope.sessionId}`,
      JSON.stringify([{ key, target: { pitchIndex: 0, cardId: 'c'.repeat(32) }, intendedAt: 1 }]),
    );
    const reloaded = new DotVoting(server.api, scope, storage);
    await reloaded.resend();
    expect(server.counted.size).toBe(1);
    expect(reloaded.givenTo({ pitchIndex: 0, cardId: 'c'.repeat(32) })).toBe(0);
  });

  it('a refused dot (no dots left) is dropped, not retried', async () => {
    const server = fakeServer(1);
    const voting = new DotVoting(server.api, scope, new MemoryStorage());
    await voting.give({ pitchIndex: 0 });
    await voting.give({ pitchIndex: 1 });
    expect(voting.refusal).toBe('refused');
    await voting.resend();
    expect(server.sent).toHaveLength(2);
  });

  it('names targets and reads refusals', () => {
    expect(targetKey({ pitchIndex: 2 })).toBe('2');
    expect(targetKey({ pitchIndex: 2, cardId: 'x' })).toBe('2:x');
    expect(refusalOf(new ApiError(409, 'INVALID_STATE', 'x'))).toBe('refused');
    expect(refusalOf(new ApiError(0, 'NETWORK', 'x'))).toBe('offline');
    expect(refusalOf(new Error('x'))).toBe('failed');
  });
});
