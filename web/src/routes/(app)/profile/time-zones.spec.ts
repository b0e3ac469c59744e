import { describe, expect, it } from 'vitest';
import { timeZoneOptions } from './time-zones.js';

describe('timeZoneOptions', () => {
  it("offers the runtime's zones, the member's among them", () => {
    const zones = timeZoneOptions('Africa/Tunis');
    expect(zones).toContain('Africa/Tunis');
    expect(zones).toContain('Europe/Athens');
    expect(zones.filter((z) => z === 'Africa/Tunis')).toHaveLength(1);
  });

  it('puts a zone the runtime does not know first, so it is kept', () => {
    expect(timeZoneOptions('Mars/Olympus_Mons', () => ['Europe/Lisbon', 'Asia/Amman'])).toEqual([
      'Mars/Olympus_Mons',
      'Europe/Lisbon',
      'Asia/Amman',
    ]);
  });

  it("offers only the member's zone when the runtime cannot list any", () => {
    const unsupported = () => {
      throw new TypeError('Intl.supportedValuesOf is not a function');
    };
    expect(timeZoneOptions('Asia/Gaza', unsupported)).toEqual(['Asia/Gaza']);
  });
});
