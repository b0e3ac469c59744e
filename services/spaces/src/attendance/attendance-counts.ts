import { sectors, type AttendanceCounts } from '@agora/proto';
import type { AttendeeDoc } from '../workshops/workshop-fields.schema.js';

/** Counts of who came, by sector: no names, no gender (the only figures others may see). */
export function attendanceCounts(attendees: readonly AttendeeDoc[]): AttendanceCounts {
  const bySector = Object.fromEntries([...sectors, 'unknown'].map((s) => [s, 0])) as Record<
    (typeof sectors)[number] | 'unknown',
    number
  >;
  let members = 0;
  for (const a of attendees) {
    if (a.memberId) members += 1;
    const key =
      a.sector && (sectors as readonly string[]).includes(a.sector) ? a.sector : 'unknown';
    bySector[key as keyof typeof bySector] += 1;
  }
  return { total: attendees.length, members, guests: attendees.length - members, bySector };
}
