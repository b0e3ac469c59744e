import { identityRoutes } from '@agora/proto';
import { ApiError } from '$lib/api/errors.js';
import { failLoad } from '$lib/api/load-error.js';
import { session } from '$lib/state.js';
import type { PageLoad } from './$types';

/**
 * An invitation link (`?invite=<token>`) shows who invited its holder and suggests the invited
 * address. A link the server refuses (unknown, used, malformed) is said plainly and the form still
 * works; a server that cannot answer at all is the error page.
 */
export const load = (async ({ url }) => {
  const token = url.searchParams.get('invite');
  if (!token) return { invitation: null, invitationInvalid: false };
  try {
    const found = await session.api.request(identityRoutes.invitationLookup, {
      params: { token },
    });
    return { invitation: { token, ...found }, invitationInvalid: false };
  } catch (err) {
    if (err instanceof ApiError && err.status >= 400 && err.status < 500) {
      return { invitation: null, invitationInvalid: true };
    }
    failLoad(err);
  }
}) satisfies PageLoad;
