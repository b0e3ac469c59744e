import { workshopRoutes } from '@agora/proto';
import { failLoad } from '$lib/api/load-error.js';
import { session } from '$lib/state.js';
import { workshopDependencies } from '$lib/workshops/dependencies.js';
import type { PageLoad } from './$types';

export const load = (async ({ parent, depends, params }) => {
  depends(workshopDependencies.workshop(params.id));
  await parent();
  try {
    const workshop = await session.api.request(workshopRoutes.workshopGet, {
      params: { id: params.id },
    });
    return { workshop };
  } catch (err) {
    failLoad(err);
  }
}) satisfies PageLoad;
