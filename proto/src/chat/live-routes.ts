import { emitTo, leaveRoom, liveRoute, rooms } from '../live.js';
import { chatEvents } from './events.js';

/** What chat's events do to open sockets. */
export const chatLiveRoutes = {
  channelMemberRemoved: liveRoute(chatEvents.channelMemberRemoved, (d) => [
    leaveRoom(rooms.channel(d.channelId), d.memberId),
    emitTo(rooms.user(d.memberId), 'channel.left', { channelId: d.channelId }),
  ]),
} as const;
