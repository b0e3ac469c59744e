import { identityRoutes, spacesRoutes, type PublicMember } from '@agora/proto';
import { ApiError } from '$lib/api/errors.js';
import { failLoad } from '$lib/api/load-error.js';
import { spaceDependencies } from '$lib/components/spaces/space-dependencies.js';
import { session } from '$lib/state.js';
import type { PageLoad } from './$types';

/** A part of the page the member may not be allowed to see (403): shown as absent, not as an error. */
async function unlessForbidden<T>(request: Promise<T>): Promise<T | null> {
  try {
    return await request;
  } catch (err) {
    if (err instanceof ApiError && err.status === 403) return null;
    throw err;
  }
}

/** The proposal, its call, its team (with names) and the reviews the member may read. */
export const load = (async ({ parent, depends, params }) => {
  depends(spaceDependencies.proposal(params.id));
  await parent();
  const api = session.api;
  try {
    const proposal = await api.request(spacesRoutes.proposalGet, { params: { id: params.id } });
    const [call, members, reviews] = await Promise.all([
      api.request(spacesRoutes.callGet, { params: { id: proposal.callId } }),
      unlessForbidden(api.request(spacesRoutes.memberList, { params: { id: proposal.id } })),
      unlessForbidden(api.request(spacesRoutes.reviewList, { params: { id: proposal.id } })),
    ]);
    // Names for everyone the page mentions: team, reviewers, review authors.
    const ids = new Set([
      ...(members?.items.map((m) => m.memberId) ?? []),
      ...proposal.reviewers,
      ...(reviews?.items.map((r) => r.reviewerId) ?? []),
    ]);
    const people = new Map<string, PublicMember>();
    await Promise.all(
      [...ids].map(async (id) => {
        const member = await unlessForbidden(
          api.request(identityRoutes.memberGet, { params: { id } }),
        ).catch(() => null);
        if (member) people.set(id, member);
      }),
    );
    return {
      proposal,
      call,
      members: members?.items ?? null,
      pending: members?.pending ?? [],
      reviews: reviews?.items ?? null,
      people,
    };
  } catch (err) {
    failLoad(err);
  }
}) satisfies PageLoad;
