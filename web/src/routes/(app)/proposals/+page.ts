import { failLoad } from '$lib/api/load-error.js';
import { proposalStatuses, spacesRoutes, type ProposalStatus } from '@agora/proto';
import { spaceDependencies } from '$lib/components/spaces/space-dependencies.js';
import { session } from '$lib/state.js';
import type { PageLoad } from './$types';

/** The list's filters live in the URL (shareable, back-button friendly); mine is the default. */
export function filtersOf(url: URL) {
  const get = (key: string) => url.searchParams.get(key)?.trim() || undefined;
  const status = get('status');
  const callId = get('call');
  const country = get('country');
  return {
    callId: callId && /^[a-f0-9]{24}$/.test(callId) ? callId : undefined,
    country: country && /^[A-Z]{2}$/.test(country) ? country : undefined,
    status: proposalStatuses.find((s): s is ProposalStatus => s === status),
    mine: url.searchParams.get('mine') !== '0',
    q: get('q')?.slice(0, 200),
  };
}

export const load = (async ({ parent, depends, url }) => {
  depends(spaceDependencies.proposals);
  depends(spaceDependencies.calls);
  await parent();
  const filters = filtersOf(url);
  try {
    const [proposals, open, closed] = await Promise.all([
      session.api.request(spacesRoutes.proposalList, {
        query: {
          ...(filters.callId ? { callId: filters.callId } : {}),
          ...(filters.country ? { country: filters.country } : {}),
          ...(filters.status ? { status: filters.status } : {}),
          ...(filters.q ? { q: filters.q } : {}),
          ...(filters.mine ? { mine: 'true' } : {}),
          limit: 100,
        },
      }),
      session.api.request(spacesRoutes.callList, { query: { status: 'open', limit: 100 } }),
      session.api.request(spacesRoutes.callList, { query: { status: 'closed', limit: 100 } }),
    ]);
    return { filters, proposals: proposals.items, calls: [...open.items, ...closed.items] };
  } catch (err) {
    failLoad(err);
  }
}) satisfies PageLoad;
