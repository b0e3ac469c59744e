import { communityRoutes } from '@agora/proto';
import { failLoad } from '$lib/api/load-error.js';
import { session } from '$lib/state.js';
import { workshopDependencies } from '$lib/workshops/dependencies.js';
import type { PageLoad } from './$types';

/** National communities that exist so far and the topic groups the member may see. */
export const load = (async ({ parent, depends }) => {
  depends(workshopDependencies.communities);
  await parent();
  try {
    const [national, topics] = await Promise.all([
      session.api.request(communityRoutes.communityList, {
        query: { type: 'national', limit: 100 },
      }),
      session.api.request(communityRoutes.communityList, { query: { type: 'topic', limit: 100 } }),
    ]);
    return { national: national.items, topics: topics.items };
  } catch (err) {
    failLoad(err);
  }
}) satisfies PageLoad;
