import type { IncomingMessage } from 'node:http';

/** The request announces a body (Content-Length > 0 or chunked). */
export function hasBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

/** A body was announced and nobody read it (no parser took it): it was refused unread. */
export function bodyUnread(req: IncomingMessage): boolean {
  return hasBody(req) && !req.readableEnded;
}
