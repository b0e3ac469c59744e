import { describe, expect, it } from 'vitest';
import { buildCalendar, escapeText, foldLine } from './ics.js';
import { offsetMinutes, transitions, vtimezoneLines } from './vtimezone.js';

const octets = (s: string) => new TextEncoder().encode(s).length;

describe('iCalendar text', () => {
  it('escapes backslashes, semicolons, commas and newlines', () => {
    expect(escapeText('a\\b;c,d\ne\r\nf')).toBe('a\\\\b\\;c\\,d\\ne\\nf');
  });

  it('folds at 75 octets without cutting a UTF-8 character, continuation lines starting with a space', () => {
    const line = `SUMMARY:${'ورشة العنقاء الوطنية '.repeat(8)}`;
    const folded = foldLine(line);
    const parts = folded.split('\r\n');
    expect(parts.length).toBeGreaterThan(2);
    for (const p of parts) expect(octets(p)).toBeLessThanOrEqual(75);
    for (const p of parts.slice(1)) expect(p.startsWith(' ')).toBe(true);
    expect(parts.map((p, i) => (i === 0 ? p : p.slice(1))).join('')).toBe(line);
    expect(foldLine('SHORT:x')).toBe('SHORT:x');
  });
});

describe('VTIMEZONE from the zone data', () => {
  const y2027 = Date.UTC(2027, 0, 1);
  const y2028 = Date.UTC(2028, 0, 1);

  it("finds Lisbon's two changes of 2027 to the minute, and none for Tunis", () => {
    expect(transitions('Europe/Lisbon', y2027, y2028)).toEqual([
      { at: Date.UTC(2027, 2, 28, 1, 0), from: 0, to: 60 },
      { at: Date.UTC(2027, 9, 31, 1, 0), from: 60, to: 0 },
    ]);
    expect(transitions('Africa/Tunis', y2027, y2028)).toEqual([]);
    expect(offsetMinutes(Date.UTC(2027, 5, 1), 'Africa/Tunis')).toBe(60);
    expect(offsetMinutes(Date.UTC(2027, 5, 1), 'Asia/Kolkata')).toBe(330);
  });

  it('writes one observance per change with its onset in the old offset', () => {
    const lines = vtimezoneLines('Europe/Lisbon', y2027, y2028);
    expect(lines.join('\n')).toContain(
      ['BEGIN:DAYLIGHT', 'DTSTART:20270328T010000', 'TZOFFSETFROM:+0000', 'TZOFFSETTO:+0100'].join(
        '\n',
      ),
    );
    expect(lines.join('\n')).toContain(
      ['BEGIN:STANDARD', 'DTSTART:20271031T020000', 'TZOFFSETFROM:+0100', 'TZOFFSETTO:+0000'].join(
        '\n',
      ),
    );
    const tunis = vtimezoneLines('Africa/Tunis', y2027, y2028);
    expect(tunis).toEqual([
      'BEGIN:VTIMEZONE',
      'TZID:Africa/Tunis',
      'BEGIN:STANDARD',
      'DTSTART:19700101T000000',
      'TZOFFSETFROM:+0100',
      'TZOFFSETTO:+0100',
      'END:STANDARD',
      'END:VTIMEZONE',
    ]);
  });

  it('builds a calendar with CRLF lines, one VTIMEZONE per zone and local times with TZID', () => {
    const event = {
      uid: 'workshop-1@agora',
      sequence: 2,
      start: new Date('2027-04-10T08:00:00Z'),
      end: new Date('2027-04-10T12:00:00Z'),
      timeZone: 'Africa/Tunis',
      summary: 'Atelier national, Tunis',
      description: 'Le Voyage du Phénix',
      location: 'Tunis',
      url: 'http://agora.test/workshops/1',
      updatedAt: new Date('2027-01-01T00:00:00Z'),
    };
    const ics = buildCalendar('Agora', [event, { ...event, uid: 'workshop-2@agora' }], new Date());
    expect(ics.endsWith('END:VCALENDAR\r\n')).toBe(true);
    expect(ics.split('\r\n').every((l) => !l.includes('\n'))).toBe(true);
    expect(ics.match(/BEGIN:VTIMEZONE/g)).toHaveLength(1);
    expect(ics).toContain('DTSTART;TZID=Africa/Tunis:20270410T090000');
    expect(ics).toContain('SUMMARY:Atelier national\\, Tunis');
    expect(ics).toContain('SEQUENCE:2');
  });
});
