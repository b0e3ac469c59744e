import { emitTo, liveRoute, rooms } from '../live.js';
import { notificationEvents } from './notification-events.js';

/** Notifications reach only their member's own sockets. */
export const notificationLiveRoutes = {
  notificationCreated: liveRoute(notificationEvents.notificationCreated, (d) => [
    emitTo(rooms.user(d.memberId), 'notification.created', {
      id: d.notificationId,
      type: d.type,
      count: d.count,
      unread: d.unread,
    }),
  ]),
  notificationsRead: liveRoute(notificationEvents.notificationsRead, (d) => [
    emitTo(rooms.user(d.memberId), 'notification.read', { unread: d.unread }),
  ]),
} as const;
