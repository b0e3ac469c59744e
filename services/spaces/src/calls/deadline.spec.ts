import { describe, expect, it } from 'vitest';
import { deadlineInstant, zoneOffsetMs } from './deadline.js';

describe('deadlineInstant', () => {
  it('keeps an instant with an offset or Z as it is, whatever the zone', () => {
    expect(deadlineInstant('2027-03-31T21:59:00Z', 'Asia/Amman').toISOString()).toBe(
      '2027-03-31T21:59:00.000Z',
    );
    expect(deadlineInstant('2027-03-31T23:59:00+02:00', 'UTC').toISOString()).toBe(
      '2027-03-31T21:59:00.000Z',
    );
  });

  it("reads a wall-clock time in the call's zone", () => {
    // Tunis is UTC+1 all year
    expect(deadlineInstant('2027-01-15T23:59', 'Africa/Tunis').toISOString()).toBe(
      '2027-01-15T22:59:00.000Z',
    );
    // Athens in summer (EEST, +3) and winter (EET, +2)
    expect(deadlineInstant('2027-07-01T12:00:00', 'Europe/Athens').toISOString()).toBe(
      '2027-07-01T09:00:00.000Z',
    );
    expect(deadlineInstant('2027-12-01T12:00:00.250', 'Europe/Athens').toISOString()).toBe(
      '2027-12-01T10:00:00.250Z',
    );
  });

  it('resolves a time skipped by spring-forward after the jump, and a repeated one to its first occurrence', () => {
    // Madrid, 2027-03-28: 02:00 CET jumps to 03:00 CEST (01:00 UTC)
    expect(deadlineInstant('2027-03-28T02:30', 'Europe/Madrid').toISOString()).toBe(
      '2027-03-28T01:30:00.000Z',
    );
    // Madrid, 2027-10-31: 03:00 CEST falls back to 02:00 CET (01:00 UTC): 02:30 happens twice
    expect(deadlineInstant('2027-10-31T02:30', 'Europe/Madrid').toISOString()).toBe(
      '2027-10-31T00:30:00.000Z',
    );
  });

  it('measures zone offsets east and west of Greenwich', () => {
    expect(zoneOffsetMs(Date.UTC(2027, 0, 1), 'Asia/Amman')).toBe(3 * 3_600_000);
    expect(zoneOffsetMs(Date.UTC(2027, 0, 1), 'America/Sao_Paulo')).toBe(-3 * 3_600_000);
    expect(zoneOffsetMs(Date.UTC(2027, 0, 1), 'UTC')).toBe(0);
  });
});
