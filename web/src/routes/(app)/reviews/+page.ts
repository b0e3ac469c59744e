import { spacesRoutes } from '@agora/proto';
import { failLoad } from '$lib/api/load-error.js';
import { spaceDependencies } from '$lib/components/spaces/space-dependencies.js';
import { session } from '$lib/state.js';
import type { PageLoad } from './$types';

/** The reviewer's queue: proposals assigned to me, with their calls for titles and criteria. */
export const load = (async ({ parent, depends }) => {
  depends(spaceDependencies.proposals);
  await parent();
  try {
    const queue = await session.api.request(spacesRoutes.proposalList, {
      query: { reviewing: 'true', limit: 100 },
    });
    const callIds = [...new Set(queue.items.map((p) => p.callId))];
    const calls = await Promise.all(
      callIds.map((id) => session.api.request(spacesRoutes.callGet, { params: { id } })),
    );
    return { proposals: queue.items, calls: new Map(calls.map((c) => [c.id, c])) };
  } catch (err) {
    failLoad(err);
  }
}) satisfies PageLoad;
