import { accountRoutes } from '@agora/proto';
import { failLoad } from '$lib/api/load-error.js';
import { session } from '$lib/state.js';
import type { PageLoad } from './$types';

/** The member's signed-in devices (one per sign-in), the current one marked by the server. */
export const load = (async ({ parent, depends }) => {
  depends('app:sessions');
  await parent();
  try {
    return { sessions: (await session.api.request(accountRoutes.mySessions, {})).items };
  } catch (err) {
    failLoad(err);
  }
}) satisfies PageLoad;
