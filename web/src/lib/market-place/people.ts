import { identityRoutes, type PublicMember } from '@agora/proto';
import type { ApiClient } from '$lib/api/client.js';

/**
 * Public profiles of the members a page names (card authors, experts, leaders), fetched once per
 * id; one that cannot be read is left out and shown by a neutral label instead.
 */
export async function fetchPeople(
  api: ApiClient,
  ids: Iterable<string>,
): Promise<Map<string, PublicMember>> {
  const people = new Map<string, PublicMember>();
  await Promise.all(
    [...new Set(ids)].map(async (id) => {
      try {
        people.set(id, await api.request(identityRoutes.memberGet, { params: { id } }));
      } catch {
        // Erased or hidden: named neutrally.
      }
    }),
  );
  return people;
}
