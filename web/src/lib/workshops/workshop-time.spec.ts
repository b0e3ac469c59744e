import { describe, expect, it } from 'vitest';
import {
  dayInZone,
  formatDay,
  formatSpan,
  sameWallClock,
  zoneOffsetMinutes,
} from './workshop-time.js';

// A Tunis workshop on 15 July 2026 from 10:00 to 13:00 local (UTC+1 all year).
const startsAt = '2026-07-15T09:00:00.000Z';
const endsAt = '2026-07-15T12:00:00.000Z';

describe('workshop times', () => {
  it('knows each zone’s offset at the instant, DST included', () => {
    expect(zoneOffsetMinutes(startsAt, 'Africa/Tunis')).toBe(60);
    expect(zoneOffsetMinutes(startsAt, 'Europe/Lisbon')).toBe(60);
    expect(zoneOffsetMinutes('2026-01-15T09:00:00.000Z', 'Europe/Lisbon')).toBe(0);
    expect(zoneOffsetMinutes(startsAt, 'Asia/Amman')).toBe(180);
    expect(zoneOffsetMinutes(startsAt, 'Mars/Olympus')).toBeNull();
  });

  it('shows the member’s line only when it reads differently from the place’s', () => {
    expect(sameWallClock(startsAt, endsAt, 'Africa/Tunis', 'Africa/Tunis')).toBe(true);
    // Lisbon in summer reads as Tunis; in winter an hour earlier.
    expect(sameWallClock(startsAt, endsAt, 'Africa/Tunis', 'Europe/Lisbon')).toBe(true);
    expect(
      sameWallClock(
        '2026-01-15T09:00:00.000Z',
        '2026-01-15T12:00:00.000Z',
        'Africa/Tunis',
        'Europe/Lisbon',
      ),
    ).toBe(false);
    expect(sameWallClock(startsAt, endsAt, 'Africa/Tunis', 'Asia/Amman')).toBe(false);
    expect(sameWallClock(startsAt, endsAt, 'Africa/Tunis', 'Mars/Olympus')).toBe(false);
  });

  it('formats the span in the place’s zone and in the member’s', () => {
    const tunis = formatSpan(startsAt, endsAt, 'Africa/Tunis', 'en-GB');
    expect(tunis).toContain('10:00');
    expect(tunis).toContain('13:00');
    expect(tunis).toContain('15 Jul');
    const amman = formatSpan(startsAt, endsAt, 'Asia/Amman', 'en-GB');
    expect(amman).toContain('12:00');
    expect(amman).toContain('15:00');
    // Arabic digits and order come from Intl; the text is still the right instant.
    expect(formatSpan(startsAt, endsAt, 'Africa/Tunis', 'ar')).not.toBe(tunis);
    expect(formatSpan(startsAt, endsAt, 'Mars/Olympus', 'en-GB')).toBe(`${startsAt} – ${endsAt}`);
  });

  it('groups by the day of the reader’s zone, not UTC’s', () => {
    expect(dayInZone('2026-07-15T22:30:00.000Z', 'UTC')).toBe('2026-07-15');
    expect(dayInZone('2026-07-15T22:30:00.000Z', 'Asia/Amman')).toBe('2026-07-16');
    expect(dayInZone('2026-07-15T02:30:00.000Z', 'America/New_York')).toBe('2026-07-14');
    expect(formatDay('2026-07-16', 'en-GB')).toMatch(/^Thursday,? 16 July 2026$/);
  });
});
