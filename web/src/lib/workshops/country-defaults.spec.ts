import { describe, expect, it } from 'vitest';
import { countryDefaults } from './country-defaults.js';

describe('country defaults of a new workshop', () => {
  it('give each programme country a zone Intl knows and its language', () => {
    for (const country of ['ES', 'PT', 'GR', 'JO', 'PS', 'TN']) {
      const found = countryDefaults(country);
      expect(found, country).not.toBeNull();
      expect(() => new Intl.DateTimeFormat('en', { timeZone: found?.timeZone })).not.toThrow();
    }
    expect(countryDefaults('JO')?.language).toBe('ar');
    expect(countryDefaults('TN')).toEqual({ timeZone: 'Africa/Tunis', language: 'fr' });
    expect(countryDefaults('FR')).toBeNull();
  });
});
