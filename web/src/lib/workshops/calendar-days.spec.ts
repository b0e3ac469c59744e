import { describe, expect, it } from 'vitest';
import { groupByDay } from './calendar-days.js';

describe('calendar days', () => {
  it('groups by the member’s day, soonest first, whatever order the entries came in', () => {
    const entries = [
      { id: 'late', startsAt: '2026-07-16T08:00:00.000Z' },
      { id: 'night', startsAt: '2026-07-15T22:30:00.000Z' },
      { id: 'morning', startsAt: '2026-07-15T07:00:00.000Z' },
    ];
    const ids = (zone: string) =>
      groupByDay(entries, zone).map((d) => [d.day, d.entries.map((e) => e.id)]);
    expect(ids('UTC')).toEqual([
      ['2026-07-15', ['morning', 'night']],
      ['2026-07-16', ['late']],
    ]);
    // In Amman (UTC+3) the 22:30 UTC session is already the next morning.
    expect(ids('Asia/Amman')).toEqual([
      ['2026-07-15', ['morning']],
      ['2026-07-16', ['night', 'late']],
    ]);
    expect(groupByDay([], 'UTC')).toEqual([]);
  });
});
