import { error, redirect } from '@sveltejs/kit';
import { communityRoutes } from '@agora/proto';
import { resolve } from '$app/paths';
import { failLoad } from '$lib/api/load-error.js';
import { session } from '$lib/state.js';
import type { PageLoad } from './$types';

/** A country's national community, made on first use: this page only finds it and goes there. */
export const load = (async ({ parent, params }) => {
  if (!/^[A-Z]{2}$/.test(params.country)) {
    error(404, { message: 'unknown country', code: 'NOT_FOUND' });
  }
  await parent();
  let id: string;
  try {
    ({ id } = await session.api.request(communityRoutes.communityNational, {
      params: { country: params.country },
    }));
  } catch (err) {
    failLoad(err);
  }
  redirect(307, resolve(`/community/${id}`));
}) satisfies PageLoad;
