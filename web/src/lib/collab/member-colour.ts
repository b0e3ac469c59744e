/**
 * Caret and avatar colours: dark enough for white initials and visible on a white page, distinct
 * from each other. A member keeps the same one in every doc and every browser (derived from the id).
 */
export const memberColours = [
  '#c2410c',
  '#0369a1',
  '#15803d',
  '#7e22ce',
  '#b91c1c',
  '#0f766e',
  '#a16207',
  '#be185d',
  '#4338ca',
  '#4d7c0f',
] as const;

/** FNV-1a over the id's characters: stable, cheap, spreads nearby ids apart. */
export function memberColour(memberId: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < memberId.length; i++) {
    hash ^= memberId.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return memberColours[hash % memberColours.length] ?? memberColours[0];
}

/** One or two letters for an avatar: first letters of the first and last words. */
export function initialsOf(name: string): string {
  const words = name.trim().split(/\s+/u).filter(Boolean);
  const first = words[0] ? Array.from(words[0])[0] : '';
  const last = words.length > 1 ? Array.from(words[words.length - 1] ?? '')[0] : '';
  return `${first ?? ''}${last ?? ''}`.toLocaleUpperCase() || '?';
}
