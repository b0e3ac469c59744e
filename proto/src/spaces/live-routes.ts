import { emitTo, leaveRoom, liveRoute, rooms } from '../live.js';
import { spacesEvents } from './events.js';

/** What spaces' events do to open sockets. */
export const spacesLiveRoutes = {
  // Leave first, so the member's sockets hear nothing more of the space once told.
  membershipRemoved: liveRoute(spacesEvents.membershipRemoved, (d) => [
    leaveRoom(rooms.space(d.spaceId), d.memberId),
    emitTo(rooms.user(d.memberId), 'space.left', { spaceId: d.spaceId }),
  ]),
} as const;
