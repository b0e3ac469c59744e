import { z } from 'zod';
import { rpc } from '../rpc.js';
import { channelIdSchema } from './channel.js';
import {
  attachmentIdSchema,
  attachmentNameSchema,
  attachmentSchema,
  forumImageSchema,
} from './attachment.js';

const member = { actor: 'member' } as const;

/** Chat's attachment calls, each made for a member (their token). */
export const attachmentRpc = {
  /**
   * Stores the upload the gateway left in `AGORA_UPLOADS` (see buckets) as an attachment of the
   * channel, for the caller to send with a message. The caller must be a member who may post. The
   * content decides the type: an image is decoded and re-encoded, a PDF checked for its structure;
   * anything else is `UNSUPPORTED_MEDIA_TYPE`, too large `PAYLOAD_TOO_LARGE`. The upload is removed.
   */
  attachmentUpload: rpc(
    'chat',
    'attachment.upload',
    z.strictObject({
      channelId: channelIdSchema,
      uploadId: z.string().regex(/^[a-zA-Z0-9_-]{8,64}$/),
      name: attachmentNameSchema,
      /** The Content-Type the client declared: logged only, never trusted. */
      declaredType: z.string().max(200),
    }),
    attachmentSchema,
    member,
  ),
  /**
   * May the caller download it, and how: a member of its channel once its message is sent (before
   * that only its uploader); `etag` is the content's sha256, `chunks` how many `attachmentChunk`
   * calls read it. Unknown (or its message deleted or hidden): `NOT_FOUND`; not a member: `FORBIDDEN`.
   */
  attachmentOpen: rpc(
    'chat',
    'attachment.open',
    z.strictObject({ attachmentId: attachmentIdSchema }),
    z.strictObject({
      attachment: attachmentSchema,
      etag: z.string().regex(/^[a-f0-9]{64}$/),
      chunks: z.number().int().min(1),
    }),
    member,
  ),
  /** One chunk of its bytes (`attachmentLimits.chunkBytes` each), authorised as `attachmentOpen`. */
  attachmentChunk: rpc(
    'chat',
    'attachment.chunk',
    z.strictObject({ attachmentId: attachmentIdSchema, index: z.number().int().min(0) }),
    z.strictObject({ base64: z.string() }),
    member,
  ),
  /**
   * Stores an upload as an image for forum posts (any active member; images only, checked and
   * re-encoded as attachments are): public by its content hash once a post shows it.
   */
  forumImageUpload: rpc(
    'chat',
    'forum-image.upload',
    z.strictObject({
      uploadId: z.string().regex(/^[a-zA-Z0-9_-]{8,64}$/),
      name: attachmentNameSchema,
      declaredType: z.string().max(200),
    }),
    forumImageSchema,
    member,
  ),
  /** One chunk of a forum image by content hash (public, as identity's media); never an attachment's. */
  forumImageChunk: rpc(
    'chat',
    'forum-image.chunk',
    z.strictObject({ hash: z.string().regex(/^[a-f0-9]{64}$/), index: z.number().int().min(0) }),
    z.strictObject({
      contentType: z.string(),
      bytes: z.number().int().min(1),
      chunks: z.number().int().min(1),
      base64: z.string(),
    }),
  ),
};
