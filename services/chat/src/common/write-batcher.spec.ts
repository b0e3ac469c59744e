import { describe, expect, it } from 'vitest';
import { WriteBatcher } from './write-batcher.js';

describe('WriteBatcher: small writes gathered into one', () => {
  it('writes what was added in one tick together, and each caller hears when its write is done', async () => {
    const writes: number[][] = [];
    const b = new WriteBatcher<number>((items) => {
      writes.push(items);
      return Promise.resolve();
    });
    await Promise.all([b.add(1), b.add(2), b.add(3)]);
    expect(writes).toEqual([[1, 2, 3]]);
  });

  it('keeps one write in flight: what arrives meanwhile goes in the next one, in order', async () => {
    const writes: number[][] = [];
    let release: () => void = () => undefined;
    const b = new WriteBatcher<number>(async (items) => {
      writes.push(items);
      if (writes.length === 1) await new Promise<void>((r) => (release = r));
    });
    const first = b.add(1);
    await new Promise((r) => setImmediate(r));
    const later = [b.add(2), b.add(3), b.add(4)];
    await new Promise((r) => setImmediate(r));
    expect(writes).toEqual([[1]]);
    expect(b.waiting).toBe(3);
    release();
    await Promise.all([first, ...later]);
    expect(writes).toEqual([[1], [2, 3, 4]]);
  });

  it('splits at max items per write', async () => {
    const writes: number[][] = [];
    const b = new WriteBatcher<number>(
      (items) => {
        writes.push(items);
        return Promise.resolve();
      },
      { max: 2 },
    );
    await Promise.all([1, 2, 3, 4, 5].map((n) => b.add(n)));
    expect(writes).toEqual([[1, 2], [3, 4], [5]]);
  });

  it('a failed write rejects its own callers only; the next write still goes', async () => {
    let calls = 0;
    const b = new WriteBatcher<string>((items) => {
      calls += 1;
      return items.includes('bad') ? Promise.reject(new Error('store refused')) : Promise.resolve();
    });
    const bad = b.add('bad');
    const sameBatch = b.add('ok-1');
    await expect(bad).rejects.toThrow('store refused');
    await expect(sameBatch).rejects.toThrow('store refused');
    await expect(b.add('ok-2')).resolves.toBeUndefined();
    expect(calls).toBe(2);
  });

  it('with lingerMs, gathers what arrives within it; drain writes what waits at once', async () => {
    const writes: number[][] = [];
    const b = new WriteBatcher<number>(
      (items) => {
        writes.push(items);
        return Promise.resolve();
      },
      { lingerMs: 60_000 },
    );
    const added = [b.add(1)];
    await new Promise((r) => setImmediate(r));
    added.push(b.add(2));
    expect(writes).toEqual([]);
    await b.drain();
    await Promise.all(added);
    expect(writes).toEqual([[1, 2]]);
  });

  it('settle writes what lingers at once and waits for it, also behind a write in flight', async () => {
    const writes: number[][] = [];
    let release: () => void = () => undefined;
    const b = new WriteBatcher<number>(
      async (items) => {
        writes.push(items);
        if (writes.length === 1) await new Promise<void>((r) => (release = r));
      },
      { lingerMs: 60_000 },
    );
    await b.settle(); // nothing added: at once
    const first = b.add(1);
    const settledFirst = b.settle();
    await new Promise((r) => setImmediate(r));
    expect(writes).toEqual([[1]]); // not after the linger: settle started it
    const second = b.add(2);
    let settled = false;
    const settledBoth = b.settle().then(() => (settled = true));
    await new Promise((r) => setImmediate(r));
    expect(settled).toBe(false); // 2 waits for the write in flight
    release();
    await Promise.all([first, settledFirst, second, settledBoth]);
    expect(writes).toEqual([[1], [2]]);
  });

  it('settle resolves when the write failed: the adder hears the failure, the reader goes on', async () => {
    const b = new WriteBatcher<number>(() => Promise.reject(new Error('store refused')), {
      lingerMs: 60_000,
    });
    const added = b.add(1);
    await expect(b.settle()).resolves.toBeUndefined();
    await expect(added).rejects.toThrow('store refused');
  });
});
