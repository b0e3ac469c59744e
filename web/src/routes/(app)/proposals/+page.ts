import { failLoad } from '$lib/api/load-error.js';
import { spacesRoutes } from '@agora/proto';
import { spaceDependencies } from '$lib/components/spaces/space-dependencies.js';
import { session } from '$lib/state.js';
import { apiQueryOf, filtersOf } from './proposal-filters.js';
import type { PageLoad } from './$types';

/** My proposals (or all I may read) under the filters in the URL, with the calls for the filter and titles. */
export const load = (async ({ parent, depends, url }) => {
  depends(spaceDependencies.proposals);
  depends(spaceDependencies.calls);
  await parent();
  const filters = filtersOf(url);
  try {
    const [proposals, open, closed] = await Promise.all([
      session.api.request(spacesRoutes.proposalList, {
        query: apiQueryOf(filters),
      }),
      session.api.request(spacesRoutes.callList, { query: { status: 'open', limit: 100 } }),
      session.api.request(spacesRoutes.callList, { query: { status: 'closed', limit: 100 } }),
    ]);
    return { filters, proposals: proposals.items, calls: [...open.items, ...closed.items] };
  } catch (err) {
    failLoad(err);
  }
}) satisfies PageLoad;
