import { sessionRoutes } from '@agora/proto';
import { failLoad } from '$lib/api/load-error.js';
import { marketPlaceDependencies } from '$lib/market-place/dependencies.js';
import { session } from '$lib/state.js';
import type { PageLoad } from './$types';

export const filters = ['upcoming', 'past', 'mine'] as const;
export type SessionFilter = (typeof filters)[number];

/** Market Place sessions under one filter (`?filter=`, upcoming by default). */
export const load = (async ({ parent, depends, url }) => {
  depends(marketPlaceDependencies.sessions);
  await parent();
  const asked = url.searchParams.get('filter');
  const filter: SessionFilter = filters.find((f) => f === asked) ?? 'upcoming';
  try {
    const page = await session.api.request(sessionRoutes.sessionList, {
      query: filter === 'mine' ? { mine: 'true', limit: 100 } : { when: filter, limit: 100 },
    });
    return { filter, sessions: page.items };
  } catch (err) {
    failLoad(err);
  }
}) satisfies PageLoad;
