import { pointsRoutes } from '@agora/proto';
import { ApiError } from '$lib/api/errors.js';
import { failLoad } from '$lib/api/load-error.js';
import { dependencies } from '$lib/dependencies.js';
import { session } from '$lib/state.js';
import type { PageLoad } from './$types';

/**
 * The rules and levels (facilitators and admins) and, for admins, the suspicious bursts of the
 * last hour. A member gets `ruleset: null`, which the page says plainly.
 */
export const load = (async ({ parent, depends }) => {
  depends(dependencies.member);
  await parent();
  const role = session.user?.role;
  if (role !== 'admin' && role !== 'facilitator') return { ruleset: null, bursts: null };
  try {
    const [ruleset, bursts] = await Promise.all([
      session.api.request(pointsRoutes.rulesGet, {}),
      role === 'admin'
        ? session.api.request(pointsRoutes.bursts, { query: { windowMinutes: 60, minEntries: 10 } })
        : Promise.resolve(null),
    ]);
    return { ruleset, bursts: bursts?.bursts ?? null };
  } catch (err) {
    if (err instanceof ApiError && err.code === 'FORBIDDEN') return { ruleset: null, bursts: null };
    failLoad(err);
  }
}) satisfies PageLoad;
