import { redirect } from '@sveltejs/kit';
import { resolve } from '$app/paths';
import { session } from '$lib/state.js';
import { nextPathOf } from '$lib/return-path.js';
import type { PageLoad } from './$types';

/** Where to go after logging in; a member already signed in (restored from the cookie) goes there now. */
export const load = (async ({ parent, url }) => {
  await parent();
  const next = nextPathOf(url, resolve('/'));
  if (session.status === 'signed-in') redirect(307, next);
  return { next, deleted: url.searchParams.get('deleted') === '1' };
}) satisfies PageLoad;
