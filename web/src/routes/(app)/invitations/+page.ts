import { identityRoutes } from '@agora/proto';
import { failLoad } from '$lib/api/load-error.js';
import { dependencies } from '$lib/dependencies.js';
import { session } from '$lib/state.js';
import type { PageLoad } from './$types';

/** The invitations the member sent; sending one invalidates `dependencies.invitations`. */
export const load = (async ({ parent, depends }) => {
  depends(dependencies.invitations);
  await parent();
  try {
    return { invitations: await session.api.request(identityRoutes.invitationList, {}) };
  } catch (err) {
    failLoad(err);
  }
}) satisfies PageLoad;
