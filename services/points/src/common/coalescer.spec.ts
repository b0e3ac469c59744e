import { describe, expect, it } from 'vitest';
import { Coalescer } from './coalescer.js';

describe('Coalescer', () => {
  it('runs the calls of one turn of the event loop together, answering each in order', async () => {
    const runs: number[][] = [];
    const doubler = new Coalescer((xs: number[]) => {
      runs.push(xs);
      return Promise.resolve(xs.map((x) => x * 2));
    });
    const first = await Promise.all([doubler.call(1), doubler.call(2), doubler.call(3)]);
    const later = await doubler.call(4);
    expect(first).toEqual([2, 4, 6]);
    expect(later).toBe(8);
    expect(runs).toEqual([[1, 2, 3], [4]]);
  });

  it('rejects every call of a run that fails, and runs the next turn afresh', async () => {
    let fail = true;
    const flaky = new Coalescer((xs: string[]) =>
      fail ? Promise.reject(new Error('store down')) : Promise.resolve(xs),
    );
    const results = await Promise.allSettled([flaky.call('a'), flaky.call('b')]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    fail = false;
    await expect(flaky.call('c')).resolves.toBe('c');
  });
});
