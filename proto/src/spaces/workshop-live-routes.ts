import { emitTo, liveRoute, rooms } from '../live.js';
import { workshopEvents } from './workshop-events.js';

const e = workshopEvents;

/** What workshop events do to open sockets (the workshop's room `space:<id>`). */
export const workshopLiveRoutes = {
  workshopUpdated: liveRoute(e.workshopUpdated, (d) => [
    emitTo(rooms.space(d.workshopId), 'space.updated', { spaceId: d.workshopId, fields: d.fields }),
  ]),
  rosterChanged: liveRoute(e.rosterChanged, (d) => [
    emitTo(rooms.space(d.workshopId), 'workshop.registrations', {
      spaceId: d.workshopId,
      registered: d.registered,
      waitlisted: d.waitlisted,
    }),
  ]),
  registrationPromoted: liveRoute(e.registrationPromoted, (d) => [
    emitTo(rooms.user(d.memberId), 'workshop.promoted', { spaceId: d.workshopId }),
  ]),
  notesOpened: liveRoute(e.notesOpened, (d) => [
    emitTo(rooms.space(d.spaceId), 'space.updated', { spaceId: d.spaceId, fields: ['notes'] }),
  ]),
} as const;
