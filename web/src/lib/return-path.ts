/** Where a signed-out visitor was going: the path and query to come back to after logging in. */
export function returnPathOf(url: URL): string {
  return url.pathname + url.search;
}

/**
 * The `next` query parameter of the login page, followed only when it stays on this origin
 * (`//host`, `/\host` and absolute URLs elsewhere fall back), so a crafted link cannot send a
 * member off-site after they log in.
 */
export function nextPathOf(url: URL, fallback: string): string {
  const next = url.searchParams.get('next');
  if (!next?.startsWith('/')) return fallback;
  let target: URL;
  try {
    target = new URL(next, url);
  } catch {
    return fallback;
  }
  return target.origin === url.origin ? target.pathname + target.search + target.hash : fallback;
}
