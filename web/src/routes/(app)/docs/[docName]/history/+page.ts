import { error } from '@sveltejs/kit';
import {
  collabRoutes,
  docNameSchema,
  identityRoutes,
  parseDocName,
  spacesRoutes,
} from '@agora/proto';
import { failLoad } from '$lib/api/load-error.js';
import { versionsDependency } from '$lib/collab/versions.js';
import { session } from '$lib/state.js';
import type { PageLoad } from './$types';

/**
 * For a proposal: its call's currency and cap (for the budget of a version) and the member's
 * right on the doc (save and restore need write). Best effort: without them the page still works
 * and the server refuses what the member may not do.
 */
async function proposalContext(docName: string) {
  const { kind, id } = parseDocName(docName);
  if (kind !== 'proposal') return null;
  try {
    const proposal = await session.api.request(spacesRoutes.proposalGet, { params: { id } });
    const call = await session.api.request(spacesRoutes.callGet, {
      params: { id: proposal.callId },
    });
    return {
      title: proposal.title,
      right: proposal.myRight,
      currency: call.currency,
      maxPerProject: call.maxPerProject,
    };
  } catch {
    return null;
  }
}

/** A doc's saved versions, and the names of who saved them (a name that cannot be read is left out). */
export const load = (async ({ params, parent, depends }) => {
  const parsed = docNameSchema.safeParse(params.docName);
  if (!parsed.success) error(404, { message: 'unknown document', code: 'NOT_FOUND' });
  const docName = parsed.data;
  depends(versionsDependency(docName));
  await parent();
  let versions;
  try {
    ({ items: versions } = await session.api.request(collabRoutes.versionList, {
      params: { docName },
    }));
  } catch (err) {
    failLoad(err);
  }
  const ids = [...new Set(versions.map((v) => v.savedBy).filter((id) => id !== null))];
  const [context, people] = await Promise.all([
    proposalContext(docName),
    Promise.allSettled(
      ids.map((id) => session.api.request(identityRoutes.memberGet, { params: { id } })),
    ),
  ]);
  const names: Record<string, string> = {};
  for (const result of people) {
    if (result.status === 'fulfilled') names[result.value.id] = result.value.displayName;
  }
  return { docName, versions, names, context };
}) satisfies PageLoad;
