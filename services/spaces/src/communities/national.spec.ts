import { describe, expect, it } from 'vitest';
import { countryName, nationalLanguage } from './national.js';

describe('national communities', () => {
  it('names the countries of the workshops, and no made-up or user-assigned code', () => {
    expect(['ES', 'PT', 'GR', 'JO', 'PS', 'TN'].map(countryName)).toEqual([
      'Spain',
      'Portugal',
      'Greece',
      'Jordan',
      'Palestine',
      'Tunisia',
    ]);
    for (const code of ['ZZ', 'AA', 'QX', 'XA', 'QQ']) expect(countryName(code)).toBeNull();
    expect(nationalLanguage('GR')).toBe('el');
    expect(nationalLanguage('IT')).toBeNull();
  });
});
