import { peopleRoutes } from '@agora/proto';
import { failLoad } from '$lib/api/load-error.js';
import { session } from '$lib/state.js';
import { PAGE_SIZE, queryOf } from './people-query.js';
import type { PageLoad } from './$types';

/** One page of the member directory for the filters in the address. */
export const load = (async ({ parent, url }) => {
  await parent();
  const query = queryOf(url);
  try {
    const result = await session.api.request(peopleRoutes.peopleSearch, {
      query: {
        q: query.q,
        ...(query.country ? { country: query.country } : {}),
        ...(query.sector ? { sector: query.sector } : {}),
        ...(query.expertise ? { expertise: query.expertise } : {}),
        ...(query.language ? { language: query.language } : {}),
        offset: (query.page - 1) * PAGE_SIZE,
        limit: PAGE_SIZE,
      },
    });
    return { query, result };
  } catch (err) {
    failLoad(err);
  }
}) satisfies PageLoad;
