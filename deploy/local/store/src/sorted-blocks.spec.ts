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

describe('sorted blocks as an order-statistics structure', () => {
  it('ranks every position exactly through inserts, removes, block splits and emptied blocks', () => {
    const s = new SortedBlocks<number>();
    const ref: number[] = [];
    let seed = 7;
    const rand = (n: number) => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % n;
    const check = () => {
      for (const x of [-1, 0, 17, 500, 1999, 2000, 5000]) {
        const expected = ref.filter((v) => v < x).length;
        expect(s.rank(s.lowerBound(probe(x))), `rank of ${x}`).toBe(expected);
      }
      expect(s.rank(s.lowerBound(probe(Infinity)))).toBe(ref.length);
    };
    for (let i = 0; i < 4000; i++) {
      const v = rand(2000);
      s.insert(v, probe(v));
      ref.push(v);
      ref.sort((a, b) => a - b);
      if (i % 500 === 0) check();
    }
    check();
    // remove most of them, in an order that empties whole blocks
    while (ref.length > 300) {
      const v = ref[rand(ref.length)]!;
      const at = s.lowerBound(probe(v));
      expect(s.at(at)).toBe(v);
      s.removeAt(at);
      ref.splice(ref.indexOf(v), 1);
      if (ref.length % 700 === 0) check();
    }
    check();
    expect(s.size).toBe(ref.length);
  });

  it('walks backwards from any position, across blocks, to the first entry', () => {
    const s = new SortedBlocks<number>();
    for (let v = 0; v < 1500; v++) s.insert(v, probe(v));
    expect([...s.before(s.lowerBound(probe(700)))]).toEqual(
      Array.from({ length: 700 }, (_, i) => 699 - i),
    );
    expect([...s.before(s.lowerBound(probe(99_999)))]).toHaveLength(1500);
    expect([...s.before(s.lowerBound(probe(0)))]).toEqual([]);
    const empty = new SortedBlocks<number>();
    expect([...empty.before(empty.lowerBound(probe(3)))]).toEqual([]);
    expect(empty.rank(empty.lowerBound(probe(3)))).toBe(0);
  });
});
