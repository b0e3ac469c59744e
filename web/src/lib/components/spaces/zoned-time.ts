/**
 * A call's deadline is typed as a wall-clock time in the call's IANA time zone and travels as
 * ISO 8601 UTC (DOMAIN.md "Times"). These turn one into the other without a time-zone library.
 */

/** Offset of `zone` from UTC at the instant `utcMs`, in minutes (Athens in summer: +180). */
function offsetMinutes(utcMs: number, zone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(utcMs));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const asUtc = Date.UTC(
    get('year'),
    get('month') - 1,
    get('day'),
    get('hour'),
    get('minute'),
    get('second'),
  );
  return Math.round((asUtc - Math.floor(utcMs / 1000) * 1000) / 60_000);
}

/**
 * "2026-06-30T17:00" in "Africa/Tunis" → "2026-06-30T16:00:00.000Z". Undefined for a malformed
 * input or an unknown zone. A time skipped by a DST change lands just after the gap.
 */
export function zonedToUtc(local: string, zone: string): string | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(local);
  if (!match) return undefined;
  const [, y, mo, d, h, mi] = match.map(Number) as [number, number, number, number, number, number];
  const wall = Date.UTC(y, mo - 1, d, h, mi);
  if (Number.isNaN(wall)) return undefined;
  try {
    // Two passes settle the offset across a DST boundary.
    let guess = wall - offsetMinutes(wall, zone) * 60_000;
    guess = wall - offsetMinutes(guess, zone) * 60_000;
    return new Date(guess).toISOString();
  } catch {
    return undefined;
  }
}

/** "2026-06-30T16:00:00.000Z" shown in "Africa/Tunis" → "2026-06-30T17:00" (for an input). */
export function utcToZoned(iso: string, zone: string): string {
  const ms = Date.parse(iso);
  const shifted = new Date(ms + offsetMinutes(ms, zone) * 60_000);
  return shifted.toISOString().slice(0, 16);
}

/** A deadline for reading: date and time in `zone`, with the zone's short name. */
export function formatInZone(iso: string, zone: string, locale: string): string {
  try {
    return new Intl.DateTimeFormat(locale, {
      // dateStyle/timeStyle cannot be combined with timeZoneName.
      year: 'numeric',
      month: 'short',
      day: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      timeZone: zone,
      timeZoneName: 'short',
    }).format(new Date(iso));
  } catch {
    return iso;
  }
}
