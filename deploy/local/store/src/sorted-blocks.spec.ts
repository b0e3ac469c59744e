import { describe, expect, it } from 'vitest';
import { SortedBlocks } from './sorted-blocks.js';

const probe = (x: number) => (e: number) => e - x;

describe('sorted blocks', () => {
  it('stays sorted through thousands of random inserts and removes (block splits and merges)', () => {
    const s = new SortedBlocks<number>();
    const ref: number[] = [];
    let seed = 42;
    const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % 5000;
    for (let i = 0; i < 6000; i++) {
      const v = rand();
      s.insert(v, probe(v));
      ref.push(v);
      if (i % 3 === 0) {
        const r = rand();
        const at = s.lowerBound(probe(r));
        if (s.at(at) === r) {
          s.removeAt(at);
          ref.splice(ref.indexOf(r), 1);
        }
      }
    }
    ref.sort((a, b) => a - b);
    expect(s.size).toBe(ref.length);
    expect([...s.from({ block: 0, index: 0 })]).toEqual(ref);
    const from = s.lowerBound(probe(2500));
    expect([...s.from(from)]).toEqual(ref.filter((v) => v >= 2500));
  });

  it('handles an empty sequence and positions past the end', () => {
    const s = new SortedBlocks<number>();
    const end = s.lowerBound(probe(1));
    expect(s.at(end)).toBeUndefined();
    s.removeAt(end);
    expect([...s.from(end)]).toEqual([]);
    s.insert(3, probe(3));
    s.insert(1, probe(1));
    expect([...s.from(s.lowerBound(probe(2)))]).toEqual([3]);
    expect(s.at(s.lowerBound(probe(9)))).toBeUndefined();
  });
});
