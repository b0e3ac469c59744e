/**
 * The address to put in an iframe for a session's stream. Spaces decides whether the stream's
 * host is allowed to be embedded (`streamEmbed`); this only turns the page addresses people paste
 * (a YouTube watch page, a Vimeo page, a PeerTube watch page) into their players' embed addresses,
 * which are the only ones those hosts let others frame. Null: not an http(s) address.
 */
export function embedUrl(raw: string): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
  const host = url.hostname.replace(/^www\.|^m\./, '');
  const id = /^[A-Za-z0-9_-]{6,20}$/;
  if (host === 'youtube.com' || host === 'youtube-nocookie.com') {
    const watch = url.searchParams.get('v');
    const live = /^\/(?:live|embed|shorts)\/([^/]+)/.exec(url.pathname)?.[1];
    const video = watch ?? live;
    if (video && id.test(video)) return `https://www.youtube-nocookie.com/embed/${video}`;
  }
  if (host === 'youtu.be') {
    const video = url.pathname.slice(1);
    if (id.test(video)) return `https://www.youtube-nocookie.com/embed/${video}`;
  }
  if (host === 'vimeo.com') {
    const video = /^\/(\d+)/.exec(url.pathname)?.[1];
    if (video) return `https://player.vimeo.com/video/${video}`;
  }
  // PeerTube: /w/<id> and /videos/watch/<id> play at /videos/embed/<id> on the same instance.
  const peertube = /^\/(?:w|videos\/watch)\/([A-Za-z0-9-]+)$/.exec(url.pathname)?.[1];
  if (peertube) return `${url.origin}/videos/embed/${peertube}`;
  return url.href;
}
