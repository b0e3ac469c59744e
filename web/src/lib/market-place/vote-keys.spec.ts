import { describe, expect, it } from 'vitest';
import { DotIntentions, dotStorageKey, sameTarget, type DotStorage } from './vote-keys.js';

/** sessionStorage's contract over a Map; `copy()` is what duplicating a tab does. */
class MemoryStorage implements DotStorage {
  readonly items = new Map<string, string>();
  getItem(key: string) {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string) {
    this.items.set(key, value);
  }
  removeItem(key: string) {
    this.items.delete(key);
  }
  copy(): MemoryStorage {
    const other = new MemoryStorage();
    for (const [k, v] of this.items) other.items.set(k, v);
    return other;
  }
}

const scope = { memberId: 'aaaaaaaaaaaaaaaaaaaaaaaa', sessionId: 'bbbbbbbbbbbbbbbbbbbbbbbb' };
function counter() {
  let n = 0;
  return () => `key-${++n}`;
}

describe('one idempotency key per intended dot', () => {
  it('stores the key before the request, so a reload sends the same key again', () => {
    const storage = new MemoryStorage();
    const first = new DotIntentions(storage, scope, counter());
    const { dot, fresh } = first.intend({ pitchIndex: 1 }, 10);
    expect(fresh).toBe(true);
    expect(storage.getItem(dotStorageKey(scope.memberId, scope.sessionId))).toContain(dot.key);

    // The page reloads before the answer came back.
    const reloaded = new DotIntentions(storage, scope, counter());
    expect(reloaded.pending()).toEqual([
      { key: dot.key, target: { pitchIndex: 1 }, intendedAt: 10 },
    ]);
  });

  it('a double click on the same target is one dot with one key', () => {
    const votes = new DotIntentions(new MemoryStorage(), scope, counter());
    const a = votes.intend({ pitchIndex: 0 });
    const b = votes.intend({ pitchIndex: 0 });
    expect(b.fresh).toBe(false);
    expect(b.dot.key).toBe(a.dot.key);
    expect(votes.pending()).toHaveLength(1);
  });

  it('a second dot on a target is a new key once the first was acknowledged', () => {
    const votes = new DotIntentions(new MemoryStorage(), scope, counter());
    const a = votes.intend({ pitchIndex: 0 });
    votes.settle(a.dot.key);
    const b = votes.intend({ pitchIndex: 0 });
    expect(b.fresh).toBe(true);
    expect(b.dot.key).not.toBe(a.dot.key);
  });

  it('dots on different targets are different intentions', () => {
    const votes = new DotIntentions(new MemoryStorage(), scope, counter());
    votes.intend({ pitchIndex: 0 });
    votes.intend({ pitchIndex: 1 });
    votes.intend({ pitchIndex: 1, cardId: 'c1' });
    expect(votes.pending().map((d) => d.key)).toEqual(['key-1', 'key-2', 'key-3']);
  });

  it('a duplicated tab carries the unacknowledged keys, not new ones', () => {
    const storage = new MemoryStorage();
    const tab = new DotIntentions(storage, scope, counter());
    const { dot } = tab.intend({ pitchIndex: 2 });
    const duplicate = new DotIntentions(storage.copy(), scope, () => 'other');
    expect(duplicate.intend({ pitchIndex: 2 }).dot.key).toBe(dot.key);
  });

  it('forgets keys the server lists as counted, and removes the entry when none is left', () => {
    const storage = new MemoryStorage();
    const votes = new DotIntentions(storage, scope, counter());
    votes.intend({ pitchIndex: 0 });
    votes.intend({ pitchIndex: 1 });
    votes.settleCounted(['key-1', 'unknown']);
    expect(votes.pending().map((d) => d.key)).toEqual(['key-2']);
    votes.settle('key-2');
    expect(storage.items.size).toBe(0);
  });

  it('keeps members and sessions apart', () => {
    const storage = new MemoryStorage();
    new DotIntentions(storage, scope, counter()).intend({ pitchIndex: 0 });
    const other = new DotIntentions(storage, { ...scope, memberId: 'c'.repeat(24) }, counter());
    expect(other.pending()).toEqual([]);
  });

  it('reads damaged storage as nothing pending, and works with no storage at all', () => {
    const storage = new MemoryStorage();
    storage.setItem(dotStorageKey(scope.memberId, scope.sessionId), '{not json');
    expect(new DotIntentions(storage, scope).pending()).toEqual([]);
    storage.setItem(
      dotStorageKey(scope.memberId, scope.sessionId),
      JSON.stringify([
        { key: 'k', target: { pitchIndex: -1 } },
        { key: '', target: { pitchIndex: 0, cardId: 'x' } },
        { key: 'k2', target: { cardId: 'x' } },
        5,
      ]),
    );
    expect(new DotIntentions(storage, scope).pending()).toEqual([]);
    const memoryOnly = new DotIntentions(null, scope, counter());
    expect(memoryOnly.intend({ pitchIndex: 0 }).dot.key).toBe(
      memoryOnly.intend({ pitchIndex: 0 }).dot.key,
    );
  });

  it('compares targets by kind and value', () => {
    expect(sameTarget({ pitchIndex: 1 }, { pitchIndex: 1 })).toBe(true);
    expect(sameTarget({ pitchIndex: 1 }, { pitchIndex: 1, cardId: 'a' })).toBe(false);
    expect(sameTarget({ pitchIndex: 1, cardId: 'a' }, { pitchIndex: 1, cardId: 'a' })).toBe(true);
    expect(sameTarget({ pitchIndex: 1, cardId: 'a' }, { pitchIndex: 1, cardId: 'b' })).toBe(false);
  });
});
