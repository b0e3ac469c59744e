import { describe, expect, it } from 'vitest';
import { diffText, diffTokens, type DiffPart } from './text-diff.js';

const side = (parts: DiffPart[], keep: 'insert' | 'delete') =>
  parts
    .filter((p) => p.op === 'equal' || p.op === keep)
    .map((p) => p.text)
    .join('');

/** Every diff must spell both texts back. */
function checked(a: string, b: string, maxD?: number): DiffPart[] {
  const parts = diffText(a, b, maxD);
  expect(side(parts, 'delete')).toBe(a);
  expect(side(parts, 'insert')).toBe(b);
  for (let i = 1; i < parts.length; i += 1) expect(parts[i]?.op).not.toBe(parts[i - 1]?.op);
  return parts;
}

describe('diffText (Myers, by line then by word)', () => {
  it('finds word-level changes inside a line', () => {
    expect(checked('We grow olive trees.', 'We grow old olive trees!')).toEqual([
      { op: 'equal', text: 'We grow ' },
      { op: 'insert', text: 'old ' },
      { op: 'equal', text: 'olive trees' },
      { op: 'delete', text: '.' },
      { op: 'insert', text: '!' },
    ]);
  });

  it('keeps unchanged lines whole and diffs only the changed ones', () => {
    const a = 'Summary\nWe grow olives in Sfax.\nBudget\n';
    const b = 'Summary\nWe grow figs in Sfax.\nBudget\nImpact\n';
    expect(checked(a, b)).toEqual([
      { op: 'equal', text: 'Summary\nWe grow ' },
      { op: 'delete', text: 'olives' },
      { op: 'insert', text: 'figs' },
      { op: 'equal', text: ' in Sfax.\nBudget\n' },
      { op: 'insert', text: 'Impact\n' },
    ]);
  });

  it('slides a lone edit so that it ends on a whole run', () => {
    expect(checked('We grow olives in Sfax.', 'We grow figs in Sfax.\nNew line.')).toEqual([
      { op: 'equal', text: 'We grow ' },
      { op: 'delete', text: 'olives' },
      { op: 'insert', text: 'figs' },
      { op: 'equal', text: ' in Sfax.' },
      { op: 'insert', text: '\nNew line.' },
    ]);
  });

  it('handles empty sides and identical texts', () => {
    expect(checked('', '')).toEqual([]);
    expect(checked('', 'new')).toEqual([{ op: 'insert', text: 'new' }]);
    expect(checked('old', '')).toEqual([{ op: 'delete', text: 'old' }]);
    expect(checked('same\ntext', 'same\ntext')).toEqual([{ op: 'equal', text: 'same\ntext' }]);
  });

  it('treats words of any script as tokens', () => {
    expect(checked('مشروع تجريبي جديد', 'مشروع كبير جديد')).toEqual([
      { op: 'equal', text: 'مشروع ' },
      { op: 'delete', text: 'تجريبي' },
      { op: 'insert', text: 'كبير' },
      { op: 'equal', text: ' جديد' },
    ]);
  });

  it('shows a hunk that differs beyond the edit limit as deleted and inserted whole', () => {
    const a = Array.from({ length: 50 }, (_, i) => `a${i}`).join(' ');
    const b = Array.from({ length: 50 }, (_, i) => `b${i}`).join(' ');
    expect(checked(a, b, 10)).toEqual([
      { op: 'delete', text: a },
      { op: 'insert', text: b },
    ]);
  });

  it('matches random edits back to both sides', () => {
    let seed = 7;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const words = ['olive', 'fig', ' ', '\n', 'Sfax', '.', 'co-op', 'ميناء'];
    for (let round = 0; round < 200; round += 1) {
      const a = Array.from({ length: rand(40) }, () => words[rand(words.length)]).join('');
      const edits = a.split('');
      for (let e = rand(6); e > 0; e -= 1) {
        const at = rand(edits.length + 1);
        if (rand(2) === 0) edits.splice(at, 1);
        else edits.splice(at, 0, words[rand(words.length)] ?? '');
      }
      checked(a, edits.join(''));
    }
  });

  it('gives the shortest script on tokens', () => {
    const parts = diffTokens(['a', 'b', 'c', 'a', 'b', 'b', 'a'], ['c', 'b', 'a', 'b', 'a', 'c']);
    const edits = (parts ?? [])
      .filter((p) => p.op !== 'equal')
      .reduce((n, p) => n + p.text.length, 0);
    expect(edits).toBe(5); // the classic example of Myers' paper: D = 5
  });
});
