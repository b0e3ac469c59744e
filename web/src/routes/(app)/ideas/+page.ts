import { boardAreas, ideaRoutes, ideaStatuses, sectors } from '@agora/proto';
import { failLoad } from '$lib/api/load-error.js';
import { marketPlaceDependencies } from '$lib/market-place/dependencies.js';
import { session } from '$lib/state.js';
import type { PageLoad } from './$types';

const pick = <T extends string>(values: readonly T[], asked: string | null): T | undefined =>
  values.find((v) => v === asked);

/** The ideas library under the filters in the address (so a filtered view can be shared). */
export const load = (async ({ parent, depends, url }) => {
  depends(marketPlaceDependencies.ideas);
  await parent();
  const params = url.searchParams;
  const country = /^[A-Z]{2}$/.test(params.get('country') ?? '')
    ? params.get('country')!
    : undefined;
  const filters = {
    q: params.get('q')?.trim() || undefined,
    country,
    sector: pick(sectors, params.get('sector')),
    area: pick(boardAreas, params.get('area')),
    status: pick(ideaStatuses, params.get('status')),
  };
  try {
    const page = await session.api.request(ideaRoutes.ideaList, {
      query: { ...filters, limit: 100 },
    });
    return { filters, ideas: page.items, total: page.total };
  } catch (err) {
    failLoad(err);
  }
}) satisfies PageLoad;
