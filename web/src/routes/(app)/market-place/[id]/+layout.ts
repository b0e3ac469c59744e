import { spacesRoutes } from '@agora/proto';
import { ApiError } from '$lib/api/errors.js';
import { failLoad } from '$lib/api/load-error.js';
import { marketPlaceDependencies } from '$lib/market-place/dependencies.js';
import { fetchPeople } from '$lib/market-place/people.js';
import { fetchSession } from '$lib/market-place/session-live.svelte.js';
import { session } from '$lib/state.js';
import type { LayoutLoad } from './$types';

/** A session (with the server's clock), its members with their roles and areas, and their names. */
export const load = (async ({ parent, depends, params }) => {
  depends(marketPlaceDependencies.session(params.id));
  await parent();
  const api = session.api;
  try {
    const answer = await fetchSession(api, params.id);
    const members = await api
      .request(spacesRoutes.memberList, { params: { id: params.id } })
      .then((list) => list.items.filter((item) => item.status === 'active'))
      .catch((err: unknown) => {
        // Someone not in a public session sees it but not its member list.
        if (err instanceof ApiError && (err.status === 403 || err.status === 404)) return [];
        throw err;
      });
    const people = await fetchPeople(api, [
      ...members.map((item) => item.memberId),
      ...answer.view.pitches.map((p) => p.leaderId),
    ]);
    return { answer, members, people };
  } catch (err) {
    failLoad(err);
  }
}) satisfies LayoutLoad;
