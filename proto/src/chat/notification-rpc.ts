import { z } from 'zod';
import { rpc } from '../rpc.js';
import {
  notificationListRequestSchema,
  notificationPageSchema,
  notificationPreferencesSchema,
  notificationReadSchema,
} from './notification.js';

const member = { actor: 'member' } as const;

/** The member's own notifications (served by chat); nobody reads another's. */
export const notificationRpc = {
  list: rpc(
    'chat',
    'notification.list',
    notificationListRequestSchema,
    notificationPageSchema,
    member,
  ),
  markRead: rpc(
    'chat',
    'notification.read',
    notificationReadSchema,
    z.strictObject({ unread: z.number().int().min(0) }),
    member,
  ),
  preferencesGet: rpc(
    'chat',
    'notification.preferences.get',
    z.strictObject({}),
    notificationPreferencesSchema,
    member,
  ),
  preferencesSet: rpc(
    'chat',
    'notification.preferences.set',
    notificationPreferencesSchema,
    notificationPreferencesSchema,
    member,
  ),
} as const;
