/** Parses `SESSIONS_STREAM_HOSTS`: lower-case host names, `.host` admitting its subdomains too. */
export function parseStreamHosts(list: string): string[] {
  return list
    .split(',')
    .map((h) => h.trim().toLowerCase())
    .filter((h) => h.length > 0);
}

/**
 * Whether a session page may embed this stream: an https URL whose host is in the allowed list
 * (an embedded frame from any other host would run a stranger's page inside Agora's).
 */
export function isEmbeddable(url: string | null, hosts: readonly string[]): boolean {
  if (!url) return false;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol !== 'https:') return false;
  const host = parsed.hostname.toLowerCase();
  return hosts.some((h) =>
    h.startsWith('.') ? host.endsWith(h) || host === h.slice(1) : host === h,
  );
}
