import {
  communityRoutes,
  identityRoutes,
  workshopRoutes,
  type PublicMember,
  type WorkshopView,
} from '@agora/proto';
import { failLoad } from '$lib/api/load-error.js';
import { session } from '$lib/state.js';
import { workshopDependencies } from '$lib/workshops/dependencies.js';
import type { PageLoad } from './$types';

/** Everyone the page names: facilitators, follow-up owners, and (for facilitators) the roster. */
function mentioned(workshop: WorkshopView, roster: string[]): Set<string> {
  return new Set([
    ...workshop.facilitators,
    ...workshop.outcomes.followUps.flatMap((f) => (f.ownerId ? [f.ownerId] : [])),
    ...roster,
  ]);
}

/**
 * A workshop; for its facilitators also the roster and the attendance (private to them). Names
 * are best effort: one that cannot be read shows as "a member".
 */
export const load = (async ({ parent, depends, params }) => {
  depends(workshopDependencies.workshop(params.id));
  await parent();
  const api = session.api;
  try {
    const workshop = await api.request(workshopRoutes.workshopGet, { params: { id: params.id } });
    const [roster, attendance, community] = await Promise.all([
      workshop.canManage
        ? api.request(workshopRoutes.rosterGet, { params: { id: workshop.id } })
        : null,
      workshop.canManage
        ? api.request(workshopRoutes.attendanceList, { params: { id: workshop.id } })
        : null,
      api
        .request(communityRoutes.communityGet, { params: { id: workshop.communityId } })
        .catch(() => null),
    ]);
    const people = new Map<string, PublicMember>();
    const ids = mentioned(workshop, [
      ...(roster?.registered ?? []),
      ...(roster?.waitlist ?? []),
      ...(attendance?.items.flatMap((a) => (a.memberId ? [a.memberId] : [])) ?? []),
    ]);
    await Promise.all(
      [...ids].map(async (id) => {
        const member = await api
          .request(identityRoutes.memberGet, { params: { id } })
          .catch(() => null);
        if (member) people.set(id, member);
      }),
    );
    return { workshop, roster, attendance, community, people };
  } catch (err) {
    failLoad(err);
  }
}) satisfies PageLoad;
