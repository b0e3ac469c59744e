import { z } from 'zod';

const MiB = 1024 * 1024;

/**
 * Limits of chat attachments every party checks against. The size limit itself is configured
 * (`CHAT_ATTACHMENT_MAX_BYTES`, read by the gateway and by chat) within these bounds.
 */
export const attachmentLimits = {
  /** Attachments on one message. */
  perMessage: 10,
  /** Characters of a file name as shown and downloaded. */
  nameChars: 200,
  /** `CHAT_ATTACHMENT_MAX_BYTES` when unset. */
  defaultMaxBytes: 10 * MiB,
  /** The most `CHAT_ATTACHMENT_MAX_BYTES` may be (the uploads bucket holds a few at once). */
  maxBytesCeiling: 25 * MiB,
  /** Bytes per download chunk: its base64 fits one NATS message (max_payload 1 MiB). */
  chunkBytes: 512 * 1024,
  /** Longest side of a stored image: a larger one is scaled down (never up). */
  imageMaxSide: 2048,
  /** An uploaded attachment not sent with a message within this is removed. */
  draftTtlMs: 24 * 3_600_000,
} as const;

/**
 * What chat stores, decided from the bytes (never from the name or a declared type): images are
 * decoded and re-encoded (metadata stripped; a GIF becomes a still PNG), PDFs kept as sent.
 */
export const attachmentContentTypes = [
  'image/jpeg',
  'image/png',
  'image/webp',
  'application/pdf',
] as const;
export const attachmentContentTypeSchema = z.enum(attachmentContentTypes);
export type AttachmentContentType = z.infer<typeof attachmentContentTypeSchema>;

/** What a member may upload, as a hint for pickers and an early refusal (the content decides). */
export const attachmentUploadTypes = [
  'image/jpeg',
  'image/png',
  'image/webp',
  'image/gif',
  'application/pdf',
] as const;

export const attachmentIdSchema = z.string().regex(/^[a-f0-9]{24}$/, 'attachment id');

/** A file name as shown: no control characters, no path. */
export const attachmentNameSchema = z
  .string()
  .trim()
  .min(1)
  .max(attachmentLimits.nameChars)
  .refine((s) => !/[\p{Cc}\p{Cf}/\\]/u.test(s), 'a file name without control characters or /');

/** One attachment as messages and uploads show it; `width`/`height` for images only. */
export const attachmentSchema = z.strictObject({
  id: attachmentIdSchema,
  name: z.string(),
  contentType: attachmentContentTypeSchema,
  bytes: z.number().int().min(1),
  width: z.number().int().min(1).optional(),
  height: z.number().int().min(1).optional(),
});
export type AttachmentView = z.infer<typeof attachmentSchema>;

/** The attachments a message is sent with: each uploaded by the sender to the same channel. */
export const attachmentIdsSchema = z
  .array(attachmentIdSchema)
  .max(attachmentLimits.perMessage)
  .refine((ids) => new Set(ids).size === ids.length, 'each attachment once');

/**
 * An image for forum posts, stored in the same attachment store but public by content hash like
 * avatars (`/api/forum-images/<sha256>`): a post shows it with markdown `![name](url)`.
 */
export const forumImageSchema = z.strictObject({
  url: z.string().regex(/^\/api\/forum-images\/[a-f0-9]{64}$/),
  name: z.string(),
  contentType: attachmentContentTypeSchema,
  bytes: z.number().int().min(1),
  width: z.number().int().min(1),
  height: z.number().int().min(1),
});
export type ForumImageView = z.infer<typeof forumImageSchema>;

/** The image URLs a post's markdown may show: identity's media and forum images, this origin only. */
export const storedImageUrlPattern = /^\/api\/(media|forum-images)\/[a-f0-9]{64}$/;

export const forumImagePath = (hash: string): string => `/api/forum-images/${hash}`;

/** `POST /api/channels/{id}/attachments?name=…`: the raw file is the body. */
export const attachmentUploadQuerySchema = z.strictObject({ name: attachmentNameSchema });
