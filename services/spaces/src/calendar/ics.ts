import { localDateTime, vtimezoneLines, wallClock } from './vtimezone.js';

/** One event of a calendar: a workshop or a session, in its place's zone. */
export interface IcsEvent {
  /** Stable across fetches and updates: calendar apps match updates by it. */
  uid: string;
  /** Bumped by every update a calendar app shows. */
  sequence: number;
  start: Date;
  end: Date;
  timeZone: string;
  summary: string;
  description: string;
  location: string;
  url: string;
  updatedAt: Date;
}

/** TEXT escaping (RFC 5545 §3.3.11): backslash, semicolon, comma, newline. */
export function escapeText(value: string): string {
  return value
    .replace(/\\/g, '\\\\')
    .replace(/;/g, '\\;')
    .replace(/,/g, '\\,')
    .replace(/\r\n|\r|\n/g, '\\n');
}

const encoder = new TextEncoder();

/**
 * Folds a content line at 75 octets (RFC 5545 §3.1): continuation lines start with one space, and a
 * multi-byte UTF-8 character (Arabic, Greek) is never cut in two.
 */
export function foldLine(line: string): string {
  if (encoder.encode(line).length <= 75) return line;
  const out: string[] = [];
  let current = '';
  let octets = 0;
  let limit = 75;
  for (const ch of line) {
    const size = encoder.encode(ch).length;
    if (octets + size > limit) {
      out.push(current);
      current = ' ';
      octets = 1;
      limit = 75;
    }
    current += ch;
    octets += size;
  }
  out.push(current);
  return out.join('\r\n');
}

export function utcDateTime(d: Date): string {
  return d
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

const DAY = 86_400_000;

/** A whole VCALENDAR: one VTIMEZONE per zone used, exact over the events' years and one either side. */
export function buildCalendar(name: string, events: readonly IcsEvent[], now: Date): string {
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Agora//Workshops and sessions//EN',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    `X-WR-CALNAME:${escapeText(name)}`,
  ];
  const zones = [...new Set(events.map((e) => e.timeZone))].sort();
  for (const zone of zones) {
    const mine = events.filter((e) => e.timeZone === zone);
    const first = Math.min(...mine.map((e) => e.start.getTime()));
    const last = Math.max(...mine.map((e) => e.end.getTime()));
    const from = Date.UTC(new Date(first).getUTCFullYear() - 1, 0, 1);
    const to = Date.UTC(new Date(last).getUTCFullYear() + 1, 11, 31) + DAY;
    lines.push(...vtimezoneLines(zone, from, to));
  }
  for (const e of events) {
    lines.push(
      'BEGIN:VEVENT',
      `UID:${e.uid}`,
      `DTSTAMP:${utcDateTime(now)}`,
      `LAST-MODIFIED:${utcDateTime(e.updatedAt)}`,
      `SEQUENCE:${e.sequence}`,
      `DTSTART;TZID=${e.timeZone}:${localDateTime(wallClock(e.start.getTime(), e.timeZone))}`,
      `DTEND;TZID=${e.timeZone}:${localDateTime(wallClock(e.end.getTime(), e.timeZone))}`,
      `SUMMARY:${escapeText(e.summary)}`,
      ...(e.description ? [`DESCRIPTION:${escapeText(e.description)}`] : []),
      ...(e.location ? [`LOCATION:${escapeText(e.location)}`] : []),
      `URL:${e.url}`,
      'STATUS:CONFIRMED',
      'END:VEVENT',
    );
  }
  lines.push('END:VCALENDAR');
  return lines.map(foldLine).join('\r\n') + '\r\n';
}
