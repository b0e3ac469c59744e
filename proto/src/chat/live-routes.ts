import { emitTo, leaveRoom, liveRoute, rooms } from '../live.js';
import { chatEvents } from './events.js';

/** What chat's events do to open sockets. */
export const chatLiveRoutes = {
  // Leave first: the member's sockets hear nothing more of the channel, not even this removal.
  channelMemberRemoved: liveRoute(chatEvents.channelMemberRemoved, (d) => [
    leaveRoom(rooms.channel(d.channelId), d.memberId),
    emitTo(rooms.channel(d.channelId), 'channel.member.removed', d),
    emitTo(rooms.user(d.memberId), 'channel.left', { channelId: d.channelId }),
  ]),
} as const;
