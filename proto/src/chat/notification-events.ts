import { z } from 'zod';
import { event } from '../events.js';
import { memberIdSchema } from '../identity/member.js';
import { notificationIdSchema, notificationTypeSchema } from './notification.js';

/** Notifications' domain events: ids and counts only (what it says is fetched with the member's rights). */
export const notificationEvents = {
  /**
   * A notification was created, or a collapsed one grew and is unread again; `unread` is the
   * member's unread count after it (the bell shows it at once).
   */
  notificationCreated: event(
    'chat',
    'notification',
    'created',
    z.strictObject({
      notificationId: notificationIdSchema,
      memberId: memberIdSchema,
      type: notificationTypeSchema,
      count: z.number().int().min(1),
      unread: z.number().int().min(0),
    }),
  ),
  /** The member marked some or all read (another tab's bell follows). */
  notificationsRead: event(
    'chat',
    'notifications',
    'read',
    z.strictObject({ memberId: memberIdSchema, unread: z.number().int().min(0) }),
  ),
} as const;
