// The app is a client-rendered shell: the access token lives in memory only, so the server has no
// session to render with. hooks.server.ts still sets <html lang dir> on the shell.
export const ssr = false;
export const prerender = false;
