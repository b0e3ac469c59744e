import type { PageLoad } from './$types';

/** The reset link's token (`?token=`); the page says plainly when there is none. */
export const load = (({ url }) => ({
  token: url.searchParams.get('token') ?? '',
})) satisfies PageLoad;
