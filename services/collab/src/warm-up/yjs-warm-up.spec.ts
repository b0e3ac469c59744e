import { describe, expect, it } from 'vitest';
import { exerciseYjs } from './yjs-warm-up.js';

describe('exerciseYjs', () => {
  it('loads what it wrote, whatever the round', () => {
    for (let seed = 0; seed < 3; seed++) expect(exerciseYjs(seed)).toBe(true);
  });
});
