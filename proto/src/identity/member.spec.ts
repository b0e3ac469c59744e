import { describe, expect, it } from 'vitest';
import { countryMissing, countrySchema, displayNameIssues, displayNameSchema } from './member.js';

const refusal = (name: string) => displayNameSchema.safeParse(name).error?.issues[0]?.message;

describe('displayNameSchema', () => {
  it('keeps real names in every script, NFC-normalised and trimmed', () => {
    expect(displayNameSchema.parse('  Leila Haddad ')).toBe('Leila Haddad');
    expect(displayNameSchema.parse('ليلى حداد')).toBe('ليلى حداد');
    expect(displayNameSchema.parse('Νίκος Παπαδάκης')).toBe('Νίκος Παπαδάκης');
    expect(displayNameSchema.parse('José'.normalize('NFD'))).toBe('José'.normalize('NFC'));
    expect(displayNameSchema.parse('Li')).toBe('Li');
    // ZWNJ is part of writing some languages; ZWJ of emoji sequences.
    expect(displayNameSchema.parse('می‌خواهم')).toBe('می‌خواهم');
  });

  it('refuses control, zero-width and text-direction characters', () => {
    for (const bad of [
      'Alice\u202Eevil',
      'Ali\u0000ce',
      'Alice\nBcc: x@example.org',
      'Al\u200Bice',
      'Alice\u2066x\u2069',
      'Al\uFEFFice',
      'Alice\u200F',
    ])
      expect(refusal(bad), JSON.stringify(bad)).toBe(displayNameIssues.forbidden);
  });

  it('counts visible characters: invisible ones do not meet the minimum', () => {
    expect(refusal('A')).toBe(displayNameIssues.tooFewVisible);
    expect(refusal('A\u200D')).toBe(displayNameIssues.tooFewVisible);
    expect(refusal('A\u0301\u0301')).toBe(displayNameIssues.tooFewVisible);
    expect(displayNameSchema.safeParse('x'.repeat(81)).success).toBe(false);
  });
});

describe('countrySchema', () => {
  it('asks for a country when none was chosen, and refuses what is not a code', () => {
    expect(countrySchema.safeParse('').error?.issues[0]?.message).toBe(countryMissing);
    expect(countrySchema.safeParse('tn').success).toBe(false);
    expect(countrySchema.parse('TN')).toBe('TN');
  });
});
