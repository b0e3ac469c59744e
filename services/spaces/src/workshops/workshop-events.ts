import { pendingEvent, type PendingEvent } from '@agora/platform';
import { workshopEvents } from '@agora/proto';
import type { Roster } from '../registrations/roster.js';

/** The roster event (with the counts the page shows) and one promotion event per promoted member. */
export function rosterEvents(
  actorId: string,
  workshopId: string,
  memberIds: readonly string[],
  roster: Roster,
  promoted: readonly string[] = [],
): PendingEvent[] {
  if (memberIds.length === 0) return [];
  return [
    pendingEvent(workshopEvents.rosterChanged, actorId, workshopId, {
      workshopId,
      memberIds: [...memberIds],
      registered: roster.registered.length,
      waitlisted: roster.waitlist.length,
    }),
    ...promoted.map((memberId) =>
      pendingEvent(workshopEvents.registrationPromoted, actorId, workshopId, {
        workshopId,
        memberId,
      }),
    ),
  ];
}

export function rosterSet(roster: Roster, toId: (id: string) => unknown): Record<string, unknown> {
  return {
    'workshop.capacity': roster.capacity,
    'workshop.facilitators': roster.facilitators.map(toId),
    'workshop.registered': roster.registered.map(toId),
    'workshop.waitlist': roster.waitlist.map(toId),
  };
}
