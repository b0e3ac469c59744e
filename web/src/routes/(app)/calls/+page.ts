import { failLoad } from '$lib/api/load-error.js';
import { spacesRoutes } from '@agora/proto';
import { spaceDependencies } from '$lib/components/spaces/space-dependencies.js';
import { session } from '$lib/state.js';
import type { PageLoad } from './$types';

export const filters = ['open', 'closed', 'mine'] as const;
export type CallFilter = (typeof filters)[number];

/** The calls under one filter (`?filter=`, open by default). */
export const load = (async ({ parent, depends, url }) => {
  depends(spaceDependencies.calls);
  await parent();
  const asked = url.searchParams.get('filter');
  const filter: CallFilter = filters.find((f) => f === asked) ?? 'open';
  try {
    const query = filter === 'mine' ? { mine: 'true' } : { status: filter };
    const calls = await session.api.request(spacesRoutes.callList, {
      query: { ...query, limit: 100 },
    });
    return { filter, calls: calls.items };
  } catch (err) {
    failLoad(err);
  }
}) satisfies PageLoad;
