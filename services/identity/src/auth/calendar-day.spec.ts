import { describe, expect, it } from 'vitest';
import { calendarDay, usableTimeZone } from './calendar-day.js';

describe('calendarDay', () => {
  it('gives the UTC date in UTC', () => {
    expect(calendarDay(new Date('2026-03-01T23:59:59Z'), 'UTC')).toBe('2026-03-01');
  });

  it('moves to the next day east of Greenwich before UTC does', () => {
    // 23:30 UTC is already 00:30 the next day in Tunis (UTC+1) and 01:30 in Amman (UTC+3).
    const at = new Date('2026-11-22T23:30:00Z');
    expect(calendarDay(at, 'Africa/Tunis')).toBe('2026-11-23');
    expect(calendarDay(at, 'Asia/Amman')).toBe('2026-11-23');
    expect(calendarDay(at, 'Europe/Lisbon')).toBe('2026-11-22');
  });

  it('stays on the previous day west of Greenwich', () => {
    expect(calendarDay(new Date('2026-01-01T02:00:00Z'), 'America/New_York')).toBe('2025-12-31');
  });

  it('follows daylight saving time', () => {
    // Madrid is UTC+2 in July: 22:30 UTC is 00:30 the next day; in January (UTC+1) it is 23:30 the same day.
    expect(calendarDay(new Date('2026-07-10T22:30:00Z'), 'Europe/Madrid')).toBe('2026-07-11');
    expect(calendarDay(new Date('2026-01-10T22:30:00Z'), 'Europe/Madrid')).toBe('2026-01-10');
  });

  it('handles zones with half and quarter hours and the date line', () => {
    expect(calendarDay(new Date('2026-05-01T18:40:00Z'), 'Asia/Kathmandu')).toBe('2026-05-02');
    expect(calendarDay(new Date('2026-05-01T10:30:00Z'), 'Pacific/Kiritimati')).toBe('2026-05-02');
    expect(calendarDay(new Date('2026-05-01T10:30:00Z'), 'Pacific/Pago_Pago')).toBe('2026-04-30');
  });
});

describe('usableTimeZone', () => {
  it('keeps known zones and falls back to UTC otherwise', () => {
    expect(usableTimeZone('Africa/Tunis')).toBe('Africa/Tunis');
    expect(usableTimeZone('Mars/Olympus')).toBe('UTC');
    expect(usableTimeZone(undefined)).toBe('UTC');
    expect(usableTimeZone('')).toBe('UTC');
  });
});
