import { describe, expect, it } from 'vitest';
import { overwriteGetLocale, type Locale } from '$lib/paraglide/runtime.js';

// The language these messages are said in (whatever strategy the runtime was compiled with).
const speak = (locale: Locale) => overwriteGetLocale(() => locale);
import { plural, pluralCategory } from './plural.js';

describe('plural', () => {
  it('picks the CLDR category of each language', () => {
    expect([0, 1, 2, 3, 11, 100].map((n) => pluralCategory(n, 'ar'))).toEqual([
      'zero',
      'one',
      'two',
      'few',
      'many',
      'other',
    ]);
    expect([0, 1, 2].map((n) => pluralCategory(n, 'en'))).toEqual(['other', 'one', 'other']);
    expect([0, 1, 2].map((n) => pluralCategory(n, 'fr'))).toEqual(['one', 'one', 'other']);
  });

  it('says Arabic counts with the noun form and agreement they need', () => {
    speak('ar');
    expect(plural('issue_too_short', 12, { minimum: 12 })).toBe('قصير جدًا: 12 حرفًا على الأقل.');
    expect(plural('issue_too_short', 2, { minimum: 2 })).toBe('قصير جدًا: حرفان على الأقل.');
    expect(plural('issue_too_short', 3, { minimum: 3 })).toBe('قصير جدًا: 3 أحرف على الأقل.');
    expect(plural('issue_too_short', 100, { minimum: 100 })).toBe('قصير جدًا: 100 حرف على الأقل.');
    speak('en');
    expect(plural('issue_too_short', 1, { minimum: 1 })).toBe('Too short: at least 1 character.');
    expect(plural('issue_too_short', 12, { minimum: 12 })).toBe(
      'Too short: at least 12 characters.',
    );
  });
});
