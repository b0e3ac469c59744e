import { peopleRoutes } from '@agora/proto';
import { failLoad } from '$lib/api/load-error.js';
import { dependencies } from '$lib/dependencies.js';
import { session } from '$lib/state.js';
import type { PageLoad } from './$types';

/** A member's profile page, with what they show (everything when it is the reader's own). */
export const load = (async ({ parent, params, depends }) => {
  // The member's own page follows their visibility choices made in another tab.
  depends(dependencies.member);
  await parent();
  try {
    return {
      person: await session.api.request(peopleRoutes.personGet, { params: { id: params.id } }),
    };
  } catch (err) {
    failLoad(err);
  }
}) satisfies PageLoad;
