import { dayInZone } from './workshop-time.js';

/** Entries of the calendar page grouped by the day they start in the member's zone, soonest first. */
export function groupByDay<T extends { startsAt: string }>(
  entries: readonly T[],
  zone: string,
): { day: string; entries: T[] }[] {
  const sorted = [...entries].sort((a, b) => a.startsAt.localeCompare(b.startsAt));
  const days: { day: string; entries: T[] }[] = [];
  for (const entry of sorted) {
    const day = dayInZone(entry.startsAt, zone);
    const last = days.at(-1);
    if (last?.day === day) last.entries.push(entry);
    else days.push({ day, entries: [entry] });
  }
  return days;
}
