import { ideaRoutes } from '@agora/proto';
import { failLoad } from '$lib/api/load-error.js';
import { marketPlaceDependencies } from '$lib/market-place/dependencies.js';
import { fetchPeople } from '$lib/market-place/people.js';
import { session } from '$lib/state.js';
import type { PageLoad } from './$types';

/** An idea with its lessons, its feedback by area, and the names of its leader and experts. */
export const load = (async ({ parent, depends, params }) => {
  depends(marketPlaceDependencies.idea(params.id));
  await parent();
  try {
    const idea = await session.api.request(ideaRoutes.ideaGet, { params: { id: params.id } });
    const people = await fetchPeople(session.api, [
      idea.leaderId,
      ...idea.feedback.flatMap((group) => group.cards.map((card) => card.authorId)),
    ]);
    return { idea, people };
  } catch (err) {
    failLoad(err);
  }
}) satisfies PageLoad;
