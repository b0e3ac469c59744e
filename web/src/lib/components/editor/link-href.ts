/**
 * What the link button accepts: http(s) and mailto only (never `javascript:`), a bare domain
 * getting https. Null for anything else.
 */
export function safeLinkHref(input: string): string | null {
  const value = input.trim();
  if (value === '' || /\s/u.test(value)) return null;
  const withScheme = /^[a-z][a-z0-9+.-]*:/iu.test(value) ? value : `https://${value}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    return null;
  }
  if (url.protocol === 'mailto:') return url.pathname.includes('@') ? url.href : null;
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  if (!url.hostname.includes('.') && url.hostname !== 'localhost') return null;
  return url.href;
}
