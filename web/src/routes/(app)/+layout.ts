import { redirect } from '@sveltejs/kit';
import { resolve } from '$app/paths';
import { session } from '$lib/state.js';
import { returnPathOf } from '$lib/return-path.js';
import type { LayoutLoad } from './$types';

/**
 * Signed-in pages only: a visitor without a session logs in first, then comes back here. The
 * home address is the exception: there a visitor sees the first page for visitors instead.
 */
export const load = (async ({ parent, url }) => {
  await parent();
  if (session.status !== 'signed-in' && url.pathname !== resolve('/')) {
    redirect(307, resolve(`/login?next=${encodeURIComponent(returnPathOf(url))}`));
  }
}) satisfies LayoutLoad;
