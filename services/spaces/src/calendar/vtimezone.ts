/**
 * VTIMEZONE components (RFC 5545 §3.6.5) computed from the IANA zone data the runtime ships (Intl):
 * every offset change in a window of years becomes one STANDARD or DAYLIGHT observance with its
 * onset, so calendar apps place times exactly as the zone did then, with no rule to guess.
 */

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterOf(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** The wall clock of `timeZone` at an instant, as its parts. */
export function wallClock(instant: number, timeZone: string) {
  const parts = formatterOf(timeZone).formatToParts(new Date(instant));
  const n = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? '0');
  return {
    year: n('year'),
    month: n('month'),
    day: n('day'),
    hour: n('hour'),
    minute: n('minute'),
    second: n('second'),
  };
}

/** Offset of the zone from UTC at an instant, in minutes (east positive). */
export function offsetMinutes(instant: number, timeZone: string): number {
  const w = wallClock(instant, timeZone);
  const wall = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return Math.round((wall - Math.floor(instant / 1000) * 1000) / 60_000);
}

export interface Transition {
  /** The first instant (ms, to the minute) of the new offset. */
  at: number;
  from: number;
  to: number;
}

const MINUTE = 60_000;
const DAY = 86_400_000;

/** Offset changes between two instants (zones change at most a few times a year). */
export function transitions(timeZone: string, fromMs: number, toMs: number): Transition[] {
  const out: Transition[] = [];
  let t = fromMs;
  let offset = offsetMinutes(t, timeZone);
  while (t < toMs) {
    const next = Math.min(t + DAY, toMs);
    const nextOffset = offsetMinutes(next, timeZone);
    if (nextOffset !== offset) {
      // Binary search for the first minute of the new offset.
      let lo = t;
      let hi = next;
      while (hi - lo > MINUTE) {
        // Both ends sit on whole minutes and are two or more apart: mid lies strictly between.
        const mid = lo + Math.floor((hi - lo) / 2 / MINUTE) * MINUTE;
        if (offsetMinutes(mid, timeZone) === offset) lo = mid;
        else hi = mid;
      }
      out.push({ at: hi, from: offset, to: nextOffset });
      offset = nextOffset;
    }
    t = next;
  }
  return out;
}

const pad = (n: number, width = 2) => String(Math.abs(n)).padStart(width, '0');

/** `+0100`, `-0330`: an RFC 5545 UTC-OFFSET. */
export function utcOffset(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  return `${sign}${pad(Math.floor(Math.abs(minutes) / 60))}${pad(Math.abs(minutes) % 60)}`;
}

/** `YYYYMMDDTHHMMSS` (a local DATE-TIME) from wall-clock parts. */
export function localDateTime(w: ReturnType<typeof wallClock>): string {
  return `${pad(w.year, 4)}${pad(w.month)}${pad(w.day)}T${pad(w.hour)}${pad(w.minute)}${pad(w.second)}`;
}

/**
 * The lines of one VTIMEZONE for `timeZone`, exact between `fromMs` and `toMs`: one observance per
 * offset change in that window (its DTSTART is the onset in the offset before it, as RFC 5545 wants),
 * plus the one in force at the window's start. A zone without changes is one STANDARD.
 */
export function vtimezoneLines(timeZone: string, fromMs: number, toMs: number): string[] {
  const lines = ['BEGIN:VTIMEZONE', `TZID:${timeZone}`];
  const changes = transitions(timeZone, fromMs, toMs);
  const initial = offsetMinutes(fromMs, timeZone);
  const observance = (kind: 'STANDARD' | 'DAYLIGHT', start: string, from: number, to: number) => [
    `BEGIN:${kind}`,
    `DTSTART:${start}`,
    `TZOFFSETFROM:${utcOffset(from)}`,
    `TZOFFSETTO:${utcOffset(to)}`,
    `END:${kind}`,
  ];
  // The offset in force when the window opens, from the first day the window can describe.
  const opening = localDateTime(wallClock(fromMs, timeZone));
  const firstTo = changes[0]?.to;
  const initialKind = firstTo !== undefined && firstTo < initial ? 'DAYLIGHT' : 'STANDARD';
  lines.push(
    ...observance(initialKind, changes.length > 0 ? opening : '19700101T000000', initial, initial),
  );
  for (const c of changes) {
    // The onset as the clock read it just before the change: wall time in the old offset.
    const onset = localDateTime(wallClock(c.at - MINUTE, timeZone));
    const wall = addMinute(onset);
    lines.push(...observance(c.to > c.from ? 'DAYLIGHT' : 'STANDARD', wall, c.from, c.to));
  }
  lines.push('END:VTIMEZONE');
  return lines;
}

/** `YYYYMMDDTHHMMSS` one minute later (the onset is the minute after the old offset's last one). */
function addMinute(local: string): string {
  const y = Number(local.slice(0, 4));
  const mo = Number(local.slice(4, 6));
  const d = Number(local.slice(6, 8));
  const h = Number(local.slice(9, 11));
  const mi = Number(local.slice(11, 13));
  const t = new Date(Date.UTC(y, mo - 1, d, h, mi + 1, 0));
  return `${pad(t.getUTCFullYear(), 4)}${pad(t.getUTCMonth() + 1)}${pad(t.getUTCDate())}T${pad(t.getUTCHours())}${pad(t.getUTCMinutes())}00`;
}
