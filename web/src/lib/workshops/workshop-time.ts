/**
 * A workshop happens at a place with its own IANA time zone; a member may read it from another.
 * These format its dates for both, and say when the two read the same (then it is shown once).
 */

const rangeOptions = {
  year: 'numeric',
  month: 'short',
  day: 'numeric',
  weekday: 'short',
  hour: '2-digit',
  minute: '2-digit',
} as const satisfies Intl.DateTimeFormatOptions;

/** Offset of `zone` from UTC at `iso` in minutes, or null for an unknown zone. */
export function zoneOffsetMinutes(iso: string, zone: string): number | null {
  try {
    const parts = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
    }).formatToParts(new Date(iso));
    const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
    const wall = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'));
    const instant = Math.floor(Date.parse(iso) / 60_000) * 60_000;
    return Math.round((wall - instant) / 60_000);
  } catch {
    return null;
  }
}

/** Whether both zones show the same wall-clock times over the whole span (no second line needed). */
export function sameWallClock(startsAt: string, endsAt: string, a: string, b: string): boolean {
  if (a === b) return true;
  const startA = zoneOffsetMinutes(startsAt, a);
  const endA = zoneOffsetMinutes(endsAt, a);
  return (
    startA !== null &&
    endA !== null &&
    startA === zoneOffsetMinutes(startsAt, b) &&
    endA === zoneOffsetMinutes(endsAt, b)
  );
}

/**
 * "Wed, 15 Jul 2026, 10:00 – 13:00 GMT+1" in `zone`: one date when the span stays within a day of
 * that zone, both otherwise. Falls back to the raw ISO times for an unknown zone or locale.
 */
export function formatSpan(startsAt: string, endsAt: string, zone: string, locale: string): string {
  try {
    const format = new Intl.DateTimeFormat(locale, {
      ...rangeOptions,
      timeZone: zone,
      timeZoneName: 'short',
    });
    return format.formatRange(new Date(startsAt), new Date(endsAt));
  } catch {
    return `${startsAt} – ${endsAt}`;
  }
}

/** The calendar day of `iso` in `zone`, as `YYYY-MM-DD` (for grouping a list by day). */
export function dayInZone(iso: string, zone: string): string {
  try {
    const parts = new Intl.DateTimeFormat('en-CA', {
      timeZone: zone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    }).formatToParts(new Date(iso));
    const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
    return `${get('year')}-${get('month')}-${get('day')}`;
  } catch {
    return iso.slice(0, 10);
  }
}

/** A day heading, e.g. "Wednesday 15 July 2026", for a `YYYY-MM-DD` day. */
export function formatDay(day: string, locale: string): string {
  try {
    return new Intl.DateTimeFormat(locale, { dateStyle: 'full', timeZone: 'UTC' }).format(
      new Date(`${day}T12:00:00Z`),
    );
  } catch {
    return day;
  }
}
