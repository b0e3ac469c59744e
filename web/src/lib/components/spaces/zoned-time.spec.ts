import { describe, expect, it } from 'vitest';
import { formatInZone, utcToZoned, zonedToUtc } from './zoned-time.js';

describe('zoned time', () => {
  it('turns a wall-clock time in a zone into UTC, across DST', () => {
    expect(zonedToUtc('2026-06-30T17:00', 'Africa/Tunis')).toBe('2026-06-30T16:00:00.000Z');
    expect(zonedToUtc('2026-07-15T12:00', 'Europe/Athens')).toBe('2026-07-15T09:00:00.000Z');
    expect(zonedToUtc('2026-01-15T12:00', 'Europe/Athens')).toBe('2026-01-15T10:00:00.000Z');
    expect(zonedToUtc('2026-12-31T23:59', 'UTC')).toBe('2026-12-31T23:59:00.000Z');
  });

  it('refuses malformed times and unknown zones', () => {
    expect(zonedToUtc('30/06/2026 17:00', 'UTC')).toBeUndefined();
    expect(zonedToUtc('2026-06-30T17:00', 'Mars/Olympus')).toBeUndefined();
  });

  it('shows a UTC instant as the wall-clock time of a zone, and back', () => {
    expect(utcToZoned('2026-07-15T09:00:00.000Z', 'Europe/Athens')).toBe('2026-07-15T12:00');
    expect(
      zonedToUtc(utcToZoned('2026-03-29T01:30:00.000Z', 'Europe/Lisbon'), 'Europe/Lisbon'),
    ).toBe('2026-03-29T01:30:00.000Z');
    expect(formatInZone('2026-07-15T09:00:00.000Z', 'Europe/Athens', 'en-GB')).toContain('12:00');
    expect(formatInZone('2026-07-15T09:00:00.000Z', 'UTC', 'en-GB')).toContain('09:00');
  });
});
