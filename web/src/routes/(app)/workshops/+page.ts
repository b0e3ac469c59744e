import { workshopRoutes } from '@agora/proto';
import { failLoad } from '$lib/api/load-error.js';
import { session } from '$lib/state.js';
import { workshopDependencies } from '$lib/workshops/dependencies.js';
import { apiQueryOf, filtersOf } from '$lib/workshops/workshop-filters.js';
import type { PageLoad } from './$types';

/** The workshops the member may see, under the filters in the URL (upcoming ones by default). */
export const load = (async ({ parent, depends, url }) => {
  depends(workshopDependencies.workshops);
  await parent();
  const filters = filtersOf(url);
  try {
    const page = await session.api.request(workshopRoutes.workshopList, {
      query: apiQueryOf(filters),
    });
    return { filters, workshops: page.items, total: page.total };
  } catch (err) {
    failLoad(err);
  }
}) satisfies PageLoad;
