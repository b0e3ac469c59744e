import { describe, expect, it } from 'vitest';
import { initialsOf, memberColour, memberColours } from './member-colour.js';

describe('memberColour', () => {
  it('is stable per member and one of the palette', () => {
    const id = '65a1f0c2e4b0a1b2c3d4e5f6';
    expect(memberColour(id)).toBe(memberColour(id));
    expect(memberColours).toContain(memberColour(id));
  });
  it('spreads nearby ids over several colours', () => {
    const ids = Array.from(
      { length: 20 },
      (_, i) => `65a1f0c2e4b0a1b2c3d4e5${(i + 16).toString(16)}`,
    );
    expect(new Set(ids.map(memberColour)).size).toBeGreaterThanOrEqual(5);
  });
});

describe('initialsOf', () => {
  it('takes the first letters of the first and last words', () => {
    expect(initialsOf('amal ben haddad')).toBe('AH');
    expect(initialsOf('Nikos')).toBe('N');
    expect(initialsOf('  ')).toBe('?');
  });
  it('handles Arabic and Greek names', () => {
    expect(initialsOf('أمل حداد')).toBe('أح');
    expect(initialsOf('Νίκος Παππάς')).toBe('ΝΠ');
  });
});
