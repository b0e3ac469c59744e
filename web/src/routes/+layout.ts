import { session } from '$lib/state.js';
import type { LayoutLoad } from './$types';

// The app is a client-rendered shell: the access token lives in memory only, so the server has no
// session to render with (and so runs no load). hooks.server.ts still sets <html lang dir> on the
// shell; adapter-node serves it for every path, so nothing is prerendered.
export const ssr = false;
export const prerender = false;

/** Every page starts from a known session: restored from the refresh cookie, or signed out. */
export const load = (async () => {
  await session.restore();
}) satisfies LayoutLoad;
