import { failLoad } from '$lib/api/load-error.js';
import { spacesRoutes } from '@agora/proto';
import { spaceDependencies } from '$lib/components/spaces/space-dependencies.js';
import { session } from '$lib/state.js';
import type { PageLoad } from './$types';

export const load = (async ({ parent, depends, params }) => {
  depends(spaceDependencies.call(params.id));
  await parent();
  try {
    return { call: await session.api.request(spacesRoutes.callGet, { params: { id: params.id } }) };
  } catch (err) {
    failLoad(err);
  }
}) satisfies PageLoad;
