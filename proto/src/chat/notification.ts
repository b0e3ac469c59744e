import { z } from 'zod';
import { memberIdSchema } from '../identity/member.js';

/** What a member is notified of (each can be turned off in the preferences). */
export const notificationTypes = [
  /** Someone @mentioned me in a channel. */
  'mention',
  /** Someone replied in a thread of a message of mine. */
  'thread-reply',
  /** Someone commented on my post or replied to my comment. */
  'forum-reply',
  /** A proposal I am on the team of was decided. */
  'proposal-decided',
  /** Someone added me to a space. */
  'space-added',
  /** I moved from a workshop's waiting list to its participants. */
  'waitlist-promoted',
  /** A session or workshop I joined starts soon. */
  'starting-soon',
] as const;
export const notificationTypeSchema = z.enum(notificationTypes);
export type NotificationType = z.infer<typeof notificationTypeSchema>;

export const notificationIdSchema = z.string().regex(/^[a-f0-9]{24}$/, 'notification id');
const hexId = z.string().regex(/^[a-f0-9]{24}$/);

/**
 * What a notification points at: ids only, the web fetches the rest with the member's own rights.
 * Repeats on one target collapse into one notification whose `count` grows.
 */
export const notificationTargetSchema = z.strictObject({
  spaceId: hexId.nullable(),
  channelId: hexId.nullable(),
  messageId: hexId.nullable(),
  postId: hexId.nullable(),
  commentId: hexId.nullable(),
  /** For `proposal-decided`: funded or not-funded. */
  outcome: z.enum(['funded', 'not-funded']).nullable(),
  /** For `starting-soon`: when it starts (ISO 8601 UTC). */
  startsAt: z.iso.datetime().nullable(),
});
export type NotificationTarget = z.infer<typeof notificationTargetSchema>;

export const notificationSchema = z.strictObject({
  id: notificationIdSchema,
  type: notificationTypeSchema,
  target: notificationTargetSchema,
  /** How many source events this one stands for (many replies on one post → one notification). */
  count: z.number().int().min(1),
  /** Who caused it, most recent first (at most 5); empty for the system. */
  actorIds: z.array(memberIdSchema),
  read: z.boolean(),
  createdAt: z.iso.datetime(),
  /** When it last grew: the list is newest first by this. */
  updatedAt: z.iso.datetime(),
});
export type NotificationView = z.infer<typeof notificationSchema>;

/** Opaque cursor of the notification list. */
export const notificationCursorSchema = z.string().regex(/^\d{1,15}_[a-f0-9]{24}$/, 'cursor');

export const notificationListQuerySchema = z.strictObject({
  before: notificationCursorSchema.optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  /** Only the unread ones. */
  unread: z.stringbool().optional(),
});

/** The list's RPC request: the query once parsed. */
export const notificationListRequestSchema = notificationListQuerySchema.extend({
  unread: z.boolean().optional(),
});

export const notificationPageSchema = z.strictObject({
  notifications: z.array(notificationSchema),
  nextCursor: notificationCursorSchema.nullable(),
  /** Unread notifications in all (the bell's count). */
  unread: z.number().int().min(0),
});

/** `{ ids }` (up to 100 of mine) or `{ all: true }`, not both. */
export const notificationReadSchema = z
  .strictObject({
    ids: z.array(notificationIdSchema).min(1).max(100).optional(),
    all: z.literal(true).optional(),
  })
  .refine(
    (r) => (r.ids === undefined) !== (r.all === undefined),
    'either { ids } or { all: true }',
  );

export const notificationPreferencesSchema = z.strictObject({
  /** In-app notification per type (on unless turned off). */
  types: z.strictObject(
    Object.fromEntries(notificationTypes.map((t) => [t, z.boolean()])) as Record<
      NotificationType,
      z.ZodBoolean
    >,
  ),
  /** Opt-in daily email digest of what is unread, in the member's language. */
  digest: z.boolean(),
});
export type NotificationPreferences = z.infer<typeof notificationPreferencesSchema>;

/** What a digest says: how many unread notifications of each type (never all zero). */
export const digestCountsSchema = z
  .partialRecord(notificationTypeSchema, z.number().int().min(1))
  .refine((c) => Object.keys(c).length > 0, 'a digest is never empty');
export type DigestCounts = z.infer<typeof digestCountsSchema>;
