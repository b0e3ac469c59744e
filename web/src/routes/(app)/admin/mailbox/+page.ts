import { identityRoutes } from '@agora/proto';
import { ApiError } from '$lib/api/errors.js';
import { failLoad } from '$lib/api/load-error.js';
import { dependencies } from '$lib/dependencies.js';
import { session } from '$lib/state.js';
import type { PageLoad } from './$types';

/**
 * The dev mailbox, for admins. A member gets `mail: null`, which the page says plainly; so does an
 * admin demoted meanwhile (the server answers 403). The role decides, so a `me.updated` reruns this.
 */
export const load = (async ({ parent, depends }) => {
  depends(dependencies.member);
  await parent();
  if (!session.isAdmin) return { mail: null };
  try {
    return {
      mail: await session.api.request(identityRoutes.adminMailbox, {
        query: { offset: 0, limit: 100 },
      }),
    };
  } catch (err) {
    if (err instanceof ApiError && err.code === 'FORBIDDEN') return { mail: null };
    failLoad(err);
  }
}) satisfies PageLoad;
