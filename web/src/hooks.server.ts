import type { Handle } from '@sveltejs/kit';
import { paraglideMiddleware } from '$lib/paraglide/server.js';
import { directionOf } from '$lib/i18n/direction.js';

// The shell HTML already carries the reader's language and direction, so Arabic is right-to-left before any script runs.
export const handle: Handle = ({ event, resolve }) =>
  paraglideMiddleware(event.request, ({ request, locale }) => {
    event.request = request;
    return resolve(event, {
      transformPageChunk: ({ html }) =>
        html.replace('%paraglide.lang%', locale).replace('%paraglide.dir%', directionOf(locale)),
    });
  });
