import { describe, expect, it } from 'vitest';
import { searchKeys, titlePrefixes, titleWords } from './title-search.js';

describe('title search keys', () => {
  it('normalises case, accents and marks, and splits on anything but letters and digits', () => {
    expect(titleWords('Économie SOLIDAIRE — Tunis/Sfax 2027')).toEqual([
      'economie',
      'solidaire',
      'tunis',
      'sfax',
      '2027',
    ]);
    expect(titleWords('Κοινωνική Οικονομία')).toEqual(['κοινωνικη', 'οικονομια']);
    expect(titleWords('مطبخ تضامني')).toEqual(['مطبخ', 'تضامني']);
  });

  it('indexes every prefix of 2..16 characters, so a query word matches the words it starts', () => {
    const keys = titlePrefixes('Solidarity kitchens');
    expect(keys).toEqual(expect.arrayContaining(['so', 'sol', 'solidarity', 'ki', 'kitchens']));
    expect(keys).not.toContain('s');
    expect(keys).not.toContain('itchens');
    expect(titlePrefixes('A b')).toEqual(['a', 'b']);
    expect(titlePrefixes('x'.repeat(30)).every((k) => k.length <= 16)).toBe(true);
  });

  it('cuts long query words to the indexed length and drops duplicates', () => {
    expect(searchKeys('Kitchens kitchens')).toEqual(['kitchens']);
    expect(searchKeys('internationalisation')).toEqual(['internationalisa']);
    expect(searchKeys('  ')).toEqual([]);
  });
});
