import { z } from 'zod';
import {
  attachmentIdSchema,
  attachmentSchema,
  attachmentUploadQuerySchema,
  attachmentUploadTypes,
  forumImageSchema,
} from '../chat/attachment.js';
import { channelIdSchema } from '../chat/channel.js';
import { route } from './route.js';

/**
 * Chat attachments (issue 13): upload to a channel I belong to, then send its id with a message
 * (`attachmentIds`). A non-member is answered 403, an unknown channel or attachment 404, a file
 * over `CHAT_ATTACHMENT_MAX_BYTES` 413, a type other than JPEG, PNG, WebP, GIF or PDF (by content)
 * 415.
 */
export const attachmentRoutes = {
  attachmentUpload: route({
    method: 'POST',
    path: '/channels/:id/attachments',
    tag: 'chat',
    auth: 'member',
    status: 201,
    summary:
      'Upload an attachment (raw body; ?name= the file name): images (JPEG, PNG, WebP, GIF) are re-encoded without metadata, PDFs checked; the type is decided by content',
    params: z.strictObject({ id: channelIdSchema }),
    query: attachmentUploadQuerySchema,
    body: 'binary',
    contentTypes: attachmentUploadTypes,
    response: attachmentSchema,
  }),
  attachmentGet: route({
    method: 'GET',
    path: '/attachments/:id',
    tag: 'chat',
    auth: 'member',
    status: 200,
    summary:
      "An attachment's bytes, for members of its channel (PDFs as a download, nosniff, sandboxed)",
    params: z.strictObject({ id: attachmentIdSchema }),
    response: 'binary',
    contentTypes: ['image/jpeg', 'image/png', 'image/webp', 'application/pdf'],
  }),
  forumImageUpload: route({
    method: 'POST',
    path: '/forum/images',
    tag: 'forum',
    auth: 'member',
    status: 201,
    summary:
      'Upload an image for a post (raw body; ?name= the file name: JPEG, PNG, WebP or GIF, re-encoded without metadata); show it with ![name](url)',
    query: attachmentUploadQuerySchema,
    body: 'binary',
    contentTypes: attachmentUploadTypes.filter((t) => t.startsWith('image/')),
    response: forumImageSchema,
  }),
  forumImageGet: route({
    method: 'GET',
    path: '/forum-images/:hash',
    tag: 'forum',
    auth: 'public',
    status: 200,
    summary: 'A forum image by content hash (cacheable forever)',
    params: z.strictObject({ hash: z.string().regex(/^[a-f0-9]{64}$/, 'sha256 hex') }),
    response: 'binary',
  }),
};
