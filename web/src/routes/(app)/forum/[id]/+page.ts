import { forumRoutes } from '@agora/proto';
import { failLoad } from '$lib/api/load-error.js';
import { session } from '$lib/state.js';
import type { PageLoad } from './$types';

/** A post with its comments and replies (404 for one the member may not see). */
export const load = (async ({ parent, params }) => {
  await parent();
  try {
    return await session.api.request(forumRoutes.postGet, { params: { id: params.id } });
  } catch (err) {
    failLoad(err);
  }
}) satisfies PageLoad;
