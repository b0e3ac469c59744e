import { describe, expect, it } from 'vitest';
import { directoryEntryOf, nameWords, normaliseName, queryKeys } from './directory-keys.js';

const member = {
  status: 'active' as const,
  displayName: 'Élodie  Ḥaddād-Nour',
  country: 'TN',
  sector: 'civil-society' as const,
  expertise: ['funding' as const],
  languages: ['ar', 'fr'],
};

describe('directory keys', () => {
  it('normalises case, accents, Arabic letter forms and vowel marks, and Greek final sigma', () => {
    expect(normaliseName('ÉLODIE')).toBe('elodie');
    expect(normaliseName('أَحْمَد')).toBe(normaliseName('احمد'));
    expect(normaliseName('فاطمة')).toBe(normaliseName('فاطمه'));
    expect(normaliseName('Νίκος')).toBe(normaliseName('νικοσ'));
    expect(nameWords('Élodie  Ḥaddād-Nour')).toEqual(['elodie', 'haddad', 'nour']);
  });

  it('keys every name-word prefix and only the fields the member shows', () => {
    const shown = directoryEntryOf(member).directory;
    expect(shown).toEqual(
      expect.arrayContaining(['n:e', 'n:elo', 'n:elodie', 'n:had', 'n:nour', 'c:TN']),
    );
    expect(shown).toEqual(expect.arrayContaining(['s:civil-society', 'e:funding', 'l:ar', 'l:fr']));
    const hidden = directoryEntryOf({ ...member, publicFields: ['bio'] }).directory;
    expect(hidden.filter((k) => /^[sel]:/.test(k))).toEqual([]);
    expect(hidden).toContain('c:TN');
    expect(directoryEntryOf(member).listed).toBe(true);
    expect(directoryEntryOf({ ...member, status: 'deleted' })).toMatchObject({
      directory: [],
      listed: false,
    });
  });

  it('asks for the longest name word first, then the filters', () => {
    expect(queryKeys({ q: ' had  Élo ', language: 'ar', country: 'TN' })).toEqual([
      'n:had',
      'n:elo',
      'l:ar',
      'c:TN',
    ]);
    expect(queryKeys({ q: '  ' })).toEqual(['a']);
    expect(queryKeys({ q: '-- !' })).toEqual(['a']);
  });
});
