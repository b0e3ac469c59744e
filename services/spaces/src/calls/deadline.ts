/** Offset of `timeZone` from UTC at `instant`, in ms (positive east of Greenwich). */
export function zoneOffsetMs(instant: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(instant));
  const n = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? '0');
  const wall = Date.UTC(n('year'), n('month') - 1, n('day'), n('hour'), n('minute'), n('second'));
  return wall - Math.floor(instant / 1000) * 1000;
}

const HALF_DAY = 12 * 3_600_000;
const localPattern = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?$/;

/**
 * The instant a deadline names: an ISO instant as it is, or a wall-clock time without offset read in
 * `timeZone` (the call's). A wall-clock time skipped by a DST jump resolves to the instant after the
 * jump; one repeated by a fall-back to the first occurrence.
 */
export function deadlineInstant(input: string, timeZone: string): Date {
  const local = localPattern.exec(input);
  if (!local) return new Date(input);
  const [, y, mo, d, h, mi, s, frac] = local;
  const ms = frac ? Number(frac.slice(0, 3).padEnd(3, '0')) : 0;
  const wall = Date.UTC(
    Number(y),
    Number(mo) - 1,
    Number(d),
    Number(h),
    Number(mi),
    Number(s ?? 0),
    ms,
  );
  // The offsets half a day either side are the zone's two candidates around any DST change.
  const before = wall - zoneOffsetMs(wall - HALF_DAY, timeZone);
  const after = wall - zoneOffsetMs(wall + HALF_DAY, timeZone);
  const valid = [before, after].filter((c) => c + zoneOffsetMs(c, timeZone) === wall);
  // Repeated (fall-back): the first occurrence. Skipped (spring-forward): read with the offset
  // before the jump, which lands just after it.
  return new Date(valid.length > 0 ? Math.min(...valid) : before);
}
