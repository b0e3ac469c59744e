import { z } from 'zod';
import { memberIdSchema } from '../identity/member.js';
import { attachmentIdsSchema, attachmentSchema } from './attachment.js';

export * from './attachment.js';
import { channelIdSchema } from './channel.js';

/** Limits every party checks against (the service enforces them, the web shows them). */
export const chatLimits = {
  /** Characters of raw markdown in one message. */
  bodyChars: 4000,
  /** A page of history. */
  pageMax: 100,
  /** Others in one direct channel (the caller is implied). */
  dmOthersMax: 20,
  /** Distinct emoji on one message. */
  reactionsMax: 20,
  /** Characters of a report's or a hide's reason. */
  reasonChars: 500,
} as const;

export const messageIdSchema = z.string().regex(/^[a-f0-9]{24}$/, 'message id');
export const seqSchema = z.number().int().min(1);
/** A client's own id for a message, unique per author and channel: a retry reuses it. */
export const clientMessageIdSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, - and _');
/** One emoji (a grapheme cluster of at most 16 UTF-16 units; no letters or digits). */
export const emojiSchema = z
  .string()
  .min(1)
  .max(16)
  .refine((s) => !/[\p{L}\p{N}\s<>&"']/u.test(s), 'an emoji');

export const reactionSchema = z.strictObject({
  emoji: z.string(),
  count: z.number().int().min(1),
  memberIds: z.array(memberIdSchema),
});

/**
 * One message as the API and sockets show it. `body` is the raw markdown (for editing); `html` is
 * its rendering by the server's sanitiser, the only form to insert as HTML. A deleted or hidden
 * message keeps its place in the sequence with an empty body and html.
 */
export const messageSchema = z.strictObject({
  id: messageIdSchema,
  channelId: channelIdSchema,
  seq: seqSchema,
  /** null: a placeholder filling a sequence number whose sender crashed before writing it. */
  authorId: memberIdSchema.nullable(),
  clientMessageId: z.string(),
  body: z.string(),
  html: z.string(),
  mentionIds: z.array(memberIdSchema),
  threadOf: messageIdSchema.nullable(),
  replyCount: z.number().int().min(0),
  reactions: z.array(reactionSchema),
  /** Files sent with it (uploaded first: `POST /api/channels/{id}/attachments`); none once gone. */
  attachments: z.array(attachmentSchema),
  createdAt: z.iso.datetime(),
  editedAt: z.iso.datetime().nullable(),
  deleted: z.boolean(),
  /** Hidden by a moderator: the reason is shown in place of the body. */
  hiddenReason: z.string().nullable(),
});
export type MessageView = z.infer<typeof messageSchema>;

/** `body` may be empty only when the message carries attachments (chat refuses it otherwise). */
export const messageSendSchema = z.strictObject({
  body: z.string().trim().max(chatLimits.bodyChars),
  clientMessageId: clientMessageIdSchema,
  threadOf: messageIdSchema.optional(),
  /** Attachments the sender uploaded to this channel and has not sent yet. */
  attachmentIds: attachmentIdsSchema.optional(),
});

export const messageEditSchema = z.strictObject({
  body: z.string().trim().min(1).max(chatLimits.bodyChars),
});

/**
 * History: `after` ascending (catch-up after a reconnect), `before` descending (scrolling back,
 * newest first when neither is given), `around` a seq (jump to a message: up to `limit` on each
 * side, ascending). `threadOf` reads one thread instead of the channel's top level.
 */
export const messageListQuerySchema = z
  .strictObject({
    after: z.coerce.number().int().min(0).optional(),
    before: z.coerce.number().int().min(1).optional(),
    around: z.coerce.number().int().min(1).optional(),
    limit: z.coerce.number().int().min(1).max(chatLimits.pageMax).default(50),
  })
  .refine(
    (q) => [q.after, q.before, q.around].filter((v) => v !== undefined).length <= 1,
    'at most one of after, before, around',
  );

export const messagePageSchema = z.strictObject({
  messages: z.array(messageSchema),
  /** More messages lie beyond the page in its direction (for `around`: on either side). */
  hasMore: z.boolean(),
});

export const messageSearchQuerySchema = z.strictObject({
  q: z.string().trim().min(1).max(100),
  limit: z.coerce.number().int().min(1).max(chatLimits.pageMax).default(20),
});

export const reactionToggleSchema = z.strictObject({ emoji: emojiSchema });
export const readPositionSchema = z.strictObject({ seq: z.number().int().min(0) });
export const reasonSchema = z.strictObject({
  reason: z.string().trim().min(1).max(chatLimits.reasonChars),
});
export const muteSchema = z.strictObject({
  /** Minutes the member may not post in the channel; 0 lifts a mute. */
  minutes: z
    .number()
    .int()
    .min(0)
    .max(60 * 24 * 30),
});
