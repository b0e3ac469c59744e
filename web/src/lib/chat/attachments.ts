import {
  attachmentRoutes,
  attachmentSchema,
  attachmentUploadTypes,
  forumImageSchema,
  type AttachmentView,
  type ForumImageView,
} from '@agora/proto';
import type { z } from 'zod';
import type { ApiClient, TokenSource } from '../api/client.js';
import { pathOf } from '../api/client.js';
import { ApiError, apiErrorFrom } from '../api/errors.js';

/** Why a file could not be attached, as the composer says it. */
export type AttachmentProblem = 'too-big' | 'wrong-type' | 'empty' | 'forbidden' | 'failed';

export function problemOf(err: unknown): AttachmentProblem {
  if (!(err instanceof ApiError)) return 'failed';
  if (err.code === 'PAYLOAD_TOO_LARGE') return 'too-big';
  if (err.code === 'UNSUPPORTED_MEDIA_TYPE') return 'wrong-type';
  if (err.code === 'VALIDATION_FAILED') return 'empty';
  if (err.code === 'FORBIDDEN') return 'forbidden';
  return 'failed';
}

/** A type the picker offers (the server decides by content; an unknown type is left to it). */
export function acceptedType(file: { type: string }): boolean {
  return file.type === '' || (attachmentUploadTypes as readonly string[]).includes(file.type);
}

export const acceptList = attachmentUploadTypes.join(',');

export const isImage = (a: AttachmentView): boolean => a.contentType.startsWith('image/');

/** 1234567 → "1.2 MB" in the reader's language. */
export function formatBytes(bytes: number, locale: string): string {
  const units = ['byte', 'kilobyte', 'megabyte'] as const;
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return new Intl.NumberFormat(locale, {
    style: 'unit',
    unit: units[unit],
    unitDisplay: 'short',
    maximumFractionDigits: unit === 0 ? 0 : 1,
  }).format(value);
}

/**
 * Uploads one file as the raw body of `url` with progress (XHR: fetch reports no upload progress).
 * A 401 TOKEN_EXPIRED is retried once after a refresh, as the API client does.
 */
function uploadFile<T>(
  tokens: TokenSource,
  url: string,
  file: File,
  schema: z.ZodType<T>,
  onProgress: (fraction: number) => void,
  signal?: AbortSignal,
): Promise<T> {
  const attempt = (retried: boolean): Promise<T> =>
    new Promise<{ status: number; body: unknown }>((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      xhr.open('POST', url);
      const token = tokens.token();
      if (token) xhr.setRequestHeader('authorization', `Bearer ${token}`);
      xhr.setRequestHeader('accept', 'application/json');
      xhr.setRequestHeader('content-type', file.type || 'application/octet-stream');
      xhr.upload.onprogress = (e) => {
        if (e.lengthComputable) onProgress(e.loaded / e.total);
      };
      xhr.onload = () => {
        let body: unknown = null;
        try {
          body = JSON.parse(xhr.responseText) as unknown;
        } catch {
          // not JSON: apiErrorFrom says so
        }
        resolve({ status: xhr.status, body });
      };
      xhr.onerror = () => reject(new ApiError(0, 'NETWORK', 'network error'));
      xhr.onabort = () => reject(new ApiError(0, 'NETWORK', 'aborted'));
      signal?.addEventListener('abort', () => xhr.abort(), { once: true });
      xhr.send(file);
    }).then(async ({ status, body }) => {
      if (status === 401 && !retried && apiErrorFrom(401, body).code === 'TOKEN_EXPIRED') {
        if (await tokens.refresh()) return attempt(true);
      }
      if (status < 200 || status >= 300) throw apiErrorFrom(status, body);
      const parsed = schema.safeParse(body);
      if (!parsed.success) throw new ApiError(status, 'INTERNAL', 'unexpected upload answer');
      onProgress(1);
      return parsed.data;
    });
  return attempt(false);
}

/** Uploads a file to a channel, to send with a message. */
export function uploadAttachment(
  tokens: TokenSource,
  channelId: string,
  file: File,
  onProgress: (fraction: number) => void,
  signal?: AbortSignal,
): Promise<AttachmentView> {
  const url = pathOf(attachmentRoutes.attachmentUpload, { id: channelId }, { name: file.name });
  return uploadFile(tokens, url, file, attachmentSchema, onProgress, signal);
}

/** Uploads an image for a forum post (shown with `![name](url)`). */
export function uploadForumImage(
  tokens: TokenSource,
  file: File,
  onProgress: (fraction: number) => void,
): Promise<ForumImageView> {
  const url = pathOf(attachmentRoutes.forumImageUpload, {}, { name: file.name || 'image' });
  return uploadFile(tokens, url, file, forumImageSchema, onProgress);
}

/** Markdown showing a forum image, its name as the alt text (brackets taken out). */
export function imageMarkdown(image: ForumImageView): string {
  return `![${image.name.replace(/[[\]\\]/g, '')}](${image.url})`;
}

const MAX_CACHED = 60;
const cache = new Map<string, Promise<string>>();

/**
 * An object URL of the attachment's bytes (the download needs the member's token, so an `<img>`
 * cannot fetch it itself); the last few are kept, older ones revoked.
 */
export function attachmentUrl(api: ApiClient, id: string): Promise<string> {
  const hit = cache.get(id);
  if (hit) {
    cache.delete(id);
    cache.set(id, hit);
    return hit;
  }
  const loading = api
    .request(attachmentRoutes.attachmentGet, { params: { id } })
    .then((blob) => URL.createObjectURL(blob));
  loading.catch(() => cache.delete(id));
  cache.set(id, loading);
  while (cache.size > MAX_CACHED) {
    const [oldest, url] = cache.entries().next().value ?? [];
    if (oldest === undefined || url === undefined) break;
    cache.delete(oldest);
    void url.then((u) => URL.revokeObjectURL(u)).catch(() => undefined);
  }
  return loading;
}

/** Saves an attachment under its name (a PDF is never opened in this origin's tab). */
export async function downloadAttachment(api: ApiClient, a: AttachmentView): Promise<void> {
  const url = await attachmentUrl(api, a.id);
  const link = document.createElement('a');
  link.href = url;
  link.download = a.name;
  link.rel = 'noopener';
  document.body.append(link);
  link.click();
  link.remove();
}
