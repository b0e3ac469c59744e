import { describe, expect, it } from 'vitest';
import { RecentIds } from './recent-ids.js';

describe('RecentIds', () => {
  it('answers a repeat for an id it holds, and forgets the oldest past its capacity', () => {
    const ids = new RecentIds(2);
    expect([ids.repeat('a'), ids.repeat('b'), ids.repeat('a')]).toEqual([false, false, true]);
    expect(ids.repeat('c')).toBe(false); // 'a' goes
    expect([ids.repeat('b'), ids.repeat('c'), ids.repeat('a')]).toEqual([true, true, false]);
  });
});
