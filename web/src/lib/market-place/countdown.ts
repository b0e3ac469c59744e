/**
 * The session's countdown is the server's: it holds `endsAt`, and each answer carries the server's
 * clock (`serverNow`). The browser's clock only measures time elapsed since that answer, so a
 * member whose clock is minutes off still sees the same seconds left as everyone else.
 */

/**
 * How far the server's clock is ahead of this one (ms). The server read its clock somewhere
 * between sending and receiving: the midpoint halves the error a slow round trip adds.
 */
export function clockOffsetMs(serverNow: string, sentAt: number, receivedAt: number): number {
  const server = Date.parse(serverNow);
  if (Number.isNaN(server)) return 0;
  return server - (sentAt + Math.max(sentAt, receivedAt)) / 2;
}

/** Milliseconds left until `endsAt` by the server's clock; null when the phase has no deadline. */
export function remainingMs(
  endsAt: string | null | undefined,
  offsetMs: number,
  localNow: number,
): number | null {
  if (!endsAt) return null;
  const end = Date.parse(endsAt);
  if (Number.isNaN(end)) return null;
  return Math.max(0, end - (localNow + offsetMs));
}

/** `m:ss` (or `h:mm:ss` past an hour), rounded up: "0:00" only once the time is really up. */
export function formatCountdown(ms: number): string {
  const total = Math.ceil(Math.max(0, ms) / 1000);
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  const ss = String(seconds).padStart(2, '0');
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${ss}` : `${minutes}:${ss}`;
}
