import { calendarRoutes } from '@agora/proto';
import { failLoad } from '$lib/api/load-error.js';
import { session } from '$lib/state.js';
import { workshopDependencies } from '$lib/workshops/dependencies.js';
import type { PageLoad } from './$types';

/** The member's upcoming workshops and sessions, and their private feed's URL. */
export const load = (async ({ parent, depends }) => {
  depends(workshopDependencies.calendar);
  await parent();
  try {
    const [entries, feed] = await Promise.all([
      session.api.request(calendarRoutes.calendarEntries, { query: { limit: 100 } }),
      session.api.request(calendarRoutes.calendarInfo, {}),
    ]);
    return { entries: entries.items, feed };
  } catch (err) {
    failLoad(err);
  }
}) satisfies PageLoad;
