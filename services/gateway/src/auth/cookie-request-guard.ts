import type { Request } from 'express';
import { ApiError } from '../http/api-error.js';

/**
 * What the routes that read or set the refresh cookie ask of a request, so another site can
 * neither end a member's session nor sign them in with a form or an image: JSON only (a form
 * cannot send it, and a cross-site `fetch` with it needs a preflight the CORS policy refuses), and
 * a browser's Origin (or Sec-Fetch-Site) naming this site or the one `CORS_ORIGIN` allowed.
 * Clients that send neither header (curl, other services) are not browsers and carry no cookie of
 * a victim.
 */
export function assertSameSiteJson(req: Request, corsOrigin: string | undefined): void {
  const type = (req.get('content-type') ?? '').split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/json')
    throw new ApiError('UNSUPPORTED_MEDIA_TYPE', 'send JSON with Content-Type: application/json');
  const origin = req.get('origin');
  if (origin !== undefined) {
    if (origin !== corsOrigin && hostOf(origin) !== req.get('host'))
      throw new ApiError('FORBIDDEN', 'a request from another site cannot use the session cookie');
    return;
  }
  if (req.get('sec-fetch-site') === 'cross-site')
    throw new ApiError('FORBIDDEN', 'a request from another site cannot use the session cookie');
}

function hostOf(origin: string): string | null {
  try {
    return new URL(origin).host;
  } catch {
    return null;
  }
}
