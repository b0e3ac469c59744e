import { emitTo, leaveRoom, liveRoute, rooms } from '../live.js';
import { spacesEvents } from './events.js';

/** What spaces' events do to open sockets. */
export const spacesLiveRoutes = {
  // Leave first: the member's sockets hear nothing more of the space, not even this removal.
  membershipRemoved: liveRoute(spacesEvents.membershipRemoved, (d) => [
    leaveRoom(rooms.space(d.spaceId), d.memberId),
    emitTo(rooms.space(d.spaceId), 'space.member.removed', d),
    emitTo(rooms.user(d.memberId), 'space.left', { spaceId: d.spaceId }),
  ]),
} as const;
