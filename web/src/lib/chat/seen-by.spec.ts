import { describe, expect, it } from 'vitest';
import { seenByMessage } from './seen-by.js';

describe('seenByMessage', () => {
  it('puts each reader under the newest shown message they have read, never me', () => {
    const placed = seenByMessage([3, 5, 9], { ana: 5, bo: 7, me: 9, cy: 9, old: 1 }, 'me');
    expect(Object.fromEntries(placed)).toEqual({ 5: ['ana', 'bo'], 9: ['cy'] });
  });
});
