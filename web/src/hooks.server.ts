import type { Handle } from '@sveltejs/kit';
import { paraglideMiddleware } from '$lib/paraglide/server.js';
import { directionOf } from '$lib/i18n/direction.js';

/**
 * Sent with every page and asset: no content-type sniffing, no full URLs (which may carry an
 * invitation token) leaking to other sites in Referer, and no framing of Agora by another site.
 */
const pageSecurityHeaders = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'strict-origin-when-cross-origin',
  'x-frame-options': 'DENY',
} as const;

/** What a container platform probes: the web has no dependency to wait for, so both mean "up". */
const probes = new Set(['/healthz', '/readyz']);

// The shell HTML already carries the reader's language and direction, so Arabic is right-to-left before any script runs.
export const handle: Handle = ({ event, resolve }) => {
  if (probes.has(event.url.pathname))
    return new Response('ok', {
      headers: { 'content-type': 'text/plain', 'cache-control': 'no-store' },
    });
  return paraglideMiddleware(event.request, async ({ request, locale }) => {
    event.request = request;
    const response = await resolve(event, {
      transformPageChunk: ({ html }) =>
        html.replace('%paraglide.lang%', locale).replace('%paraglide.dir%', directionOf(locale)),
    });
    for (const [name, value] of Object.entries(pageSecurityHeaders))
      if (!response.headers.has(name)) response.headers.set(name, value);
    return response;
  });
};
