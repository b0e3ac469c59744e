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

const readRaw = express.raw({ type: () => true, limit: BINARY_BODY_LIMIT });

/**
 * Reads the raw body of a binary route: called only once the route guard has checked the token and
 * the input, so nobody unauthenticated makes the gateway buffer an upload. Types and size are
 * checked from the headers first; a client that sent `Expect: 100-continue` gets its go-ahead only
 * here (a refusal before this point answers without it, and the client never sends the body).
 */
export async function readBinaryBody(req: Request, res: Response): Promise<Buffer> {
  if (!/^image\//i.test(req.get('content-type') ?? ''))
    throw new ApiError(
      'UNSUPPORTED_MEDIA_TYPE',
      'send the image as its raw bytes with an image/* Content-Type',
    );
  if (Number(req.get('content-length') ?? 0) > BINARY_BODY_LIMIT)
    throw new ApiError(
      'PAYLOAD_TOO_LARGE',
      `images are limited to ${BINARY_BODY_LIMIT / (1024 * 1024)} MiB`,
    );
  if (expectsContinue(req)) res.writeContinue();
  await new Promise<void>((resolve, reject) => {
    readRaw(req, res, (err?: Error) => (err ? reject(err) : resolve()));
  });
  const body: unknown = req.body;
  if (!Buffer.isBuffer(body) || body.length === 0)
    throw new ApiError(
      'UNSUPPORTED_MEDIA_TYPE',
      'send the image as its raw bytes with an image/* Content-Type',
    );
  return body;
}
