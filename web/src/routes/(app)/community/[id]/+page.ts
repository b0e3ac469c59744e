import { communityRoutes, identityRoutes, workshopRoutes } from '@agora/proto';
import { failLoad } from '$lib/api/load-error.js';
import { session } from '$lib/state.js';
import { workshopDependencies } from '$lib/workshops/dependencies.js';
import type { PageLoad } from './$types';

/** A community with its members (named), its upcoming and past workshops, and its guide's doc. */
export const load = (async ({ parent, depends, params }) => {
  depends(workshopDependencies.community(params.id));
  await parent();
  const api = session.api;
  try {
    const community = await api.request(communityRoutes.communityGet, {
      params: { id: params.id },
    });
    // A private group's members and workshops are refused to non-members: shown as absent.
    const [members, upcoming, past] = await Promise.all([
      api
        .request(communityRoutes.communityMembers, {
          params: { id: community.id },
          query: { limit: 200 },
        })
        .catch(() => null),
      api
        .request(workshopRoutes.workshopList, {
          query: { communityId: community.id, upcoming: 'true', limit: 50 },
        })
        .catch(() => null),
      api
        .request(workshopRoutes.workshopList, {
          query: { communityId: community.id, limit: 50 },
        })
        .catch(() => null),
    ]);
    const upcomingIds = new Set(upcoming?.items.map((w) => w.id));
    const names = new Map<string, string>();
    await Promise.all(
      (members?.items ?? []).map(async ({ memberId }) => {
        const member = await api
          .request(identityRoutes.memberGet, { params: { id: memberId } })
          .catch(() => null);
        if (member) names.set(memberId, member.displayName);
      }),
    );
    return {
      community,
      members: members?.items ?? null,
      memberTotal: members?.total ?? community.memberCount,
      names,
      upcoming: upcoming?.items ?? [],
      past: (past?.items ?? []).filter((w) => !upcomingIds.has(w.id)),
    };
  } catch (err) {
    failLoad(err);
  }
}) satisfies PageLoad;
