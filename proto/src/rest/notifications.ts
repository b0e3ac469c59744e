import { z } from 'zod';
import {
  notificationListQuerySchema,
  notificationPageSchema,
  notificationPreferencesSchema,
  notificationReadSchema,
} from '../chat/notification.js';
import { route } from './route.js';

/** The signed-in member's notifications (issue 13): the bell, marking read, preferences. */
export const notificationRoutes = {
  notificationList: route({
    method: 'GET',
    path: '/notifications',
    tag: 'notifications',
    auth: 'member',
    status: 200,
    summary:
      'My notifications, most recently raised first (cursor `before`), with the unread count',
    query: notificationListQuerySchema,
    response: notificationPageSchema,
  }),
  notificationRead: route({
    method: 'POST',
    path: '/notifications/read',
    tag: 'notifications',
    auth: 'member',
    status: 200,
    summary: 'Mark some (`ids`) or all (`all: true`) of my notifications read',
    body: notificationReadSchema,
    response: z.strictObject({ unread: z.number().int().min(0) }),
  }),
  preferencesGet: route({
    method: 'GET',
    path: '/notifications/preferences',
    tag: 'notifications',
    auth: 'member',
    status: 200,
    summary: 'Which notifications I get, and whether I get the daily email digest',
    response: notificationPreferencesSchema,
  }),
  preferencesSet: route({
    method: 'PUT',
    path: '/notifications/preferences',
    tag: 'notifications',
    auth: 'member',
    status: 200,
    summary: 'Choose which notifications I get, and opt in or out of the daily email digest',
    body: notificationPreferencesSchema,
    response: notificationPreferencesSchema,
  }),
} as const;
