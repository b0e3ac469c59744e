import { allRoutes, buckets, type RouteDef } from '@agora/proto';
import express, { type Request, type Response } from 'express';
import type { IncomingMessage } from 'node:http';
import { ApiError } from './api-error.js';
import { compileRoutes, routeAt } from './route-match.js';

/** A raw body goes to the uploads bucket as one object, so the bucket's limit is the body's. */
export const BINARY_BODY_LIMIT = buckets.uploads.maxObjectBytes;

const binaryRoutes = compileRoutes(allRoutes.filter((r) => r.body === 'binary'));

/** The proto route with `body: 'binary'` this request is for, found from the route table. */
export function binaryRouteOf(
  req: IncomingMessage & { originalUrl?: string },
): RouteDef | undefined {
  // Under `app.use('/api', …)` Express strips the prefix from `url`; `originalUrl` keeps it.
  const url = req.originalUrl ?? req.url ?? '';
  return routeAt(binaryRoutes, req.method ?? '', url.split('?')[0] ?? '');
}

export function expectsContinue(req: IncomingMessage): boolean {
  return /^\s*100-continue\s*$/i.test(String(req.headers.expect ?? ''));
}

/** How a binary route's body is checked before and while it is read. */
export interface BinaryBodyPolicy {
  maxBytes: number;
  /** Declared Content-Types accepted (the receiving service still checks the content). */
  accepts(contentType: string): boolean;
  /** What to send, for the 415 answer. */
  hint: string;
  /** What it is, for the 413 answer. */
  what: string;
}

/** Avatars and covers: an image/* body within the uploads bucket's object limit. */
export const IMAGE_BODY: BinaryBodyPolicy = {
  maxBytes: BINARY_BODY_LIMIT,
  accepts: (type) => /^image\//i.test(type),
  hint: 'send the image as its raw bytes with an image/* Content-Type',
  what: 'images',
};

/**
 * A route naming its `contentTypes` (chat attachments): one of those or
 * `application/octet-stream` (a browser's type for a file it does not know), up to `maxBytes`.
 */
export function typedBody(route: RouteDef, maxBytes: number, what: string): BinaryBodyPolicy {
  const types = new Set([...(route.contentTypes ?? []), 'application/octet-stream']);
  return {
    maxBytes,
    accepts: (type) => types.has(type.split(';')[0]?.trim().toLowerCase() ?? ''),
    hint: `send the file as its raw bytes with a Content-Type of ${[...types].join(', ')}`,
    what,
  };
}

const readers = new Map<number, ReturnType<typeof express.raw>>();
function rawReader(limit: number): ReturnType<typeof express.raw> {
  let reader = readers.get(limit);
  if (!reader) {
    reader = express.raw({ type: () => true, limit });
    readers.set(limit, reader);
  }
  return reader;
}

function sizeText(bytes: number): string {
  const mib = bytes / (1024 * 1024);
  return mib >= 1 ? `${Math.round(mib * 10) / 10} MiB` : `${bytes} bytes`;
}

/**
 * Reads the raw body of a binary route: called only once the route guard has checked the token and
 * the input, so nobody unauthenticated makes the gateway buffer an upload. Types and size are
 * checked from the headers first; a client that sent `Expect: 100-continue` gets its go-ahead only
 * here (a refusal before this point answers without it, and the client never sends the body).
 */
export async function readBinaryBody(
  req: Request,
  res: Response,
  policy: BinaryBodyPolicy = IMAGE_BODY,
): Promise<Buffer> {
  if (!policy.accepts(req.get('content-type') ?? ''))
    throw new ApiError('UNSUPPORTED_MEDIA_TYPE', policy.hint);
  const tooLarge = () =>
    new ApiError(
      'PAYLOAD_TOO_LARGE',
      `${policy.what} are limited to ${sizeText(policy.maxBytes)}`,
      {
        maxBytes: policy.maxBytes,
      },
    );
  if (Number(req.get('content-length') ?? 0) > policy.maxBytes) throw tooLarge();
  if (expectsContinue(req)) res.writeContinue();
  await new Promise<void>((resolve, reject) => {
    rawReader(policy.maxBytes)(req, res, (err?: Error) => (err ? reject(err) : resolve()));
  }).catch((err: unknown) => {
    // a body without a Content-Length (chunked) is cut off at the limit while it is read
    if ((err as { type?: unknown }).type === 'entity.too.large') throw tooLarge();
    throw err;
  });
  const body: unknown = req.body;
  if (!Buffer.isBuffer(body) || body.length === 0)
    throw new ApiError('UNSUPPORTED_MEDIA_TYPE', policy.hint);
  return body;
}
