// Search within a channel without $text (the store's subset): the same word prefixes as spaces'
// proposal titles (services/spaces/src/proposals/title-search.ts), over a message's words.

/** Longest prefix kept per word: longer query words are cut to it (and still match from the start). */
export const MAX_PREFIX = 16;
const MIN_PREFIX = 2;
/** Distinct words of one message that are indexed (a 4,000-character body rarely has more). */
const MAX_WORDS = 400;

/** Words, lower case, accents and marks removed (é → e, ά → α), split on anything not a letter or digit. */
export function words(text: string): string[] {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 0);
}

/** Every prefix of 2 to 16 characters of every word: the multikey index search walks. */
export function wordPrefixes(text: string): string[] {
  const out = new Set<string>();
  for (const word of [...new Set(words(text))].slice(0, MAX_WORDS)) {
    const chars = [...word];
    for (let n = MIN_PREFIX; n <= Math.min(chars.length, MAX_PREFIX); n += 1)
      out.add(chars.slice(0, n).join(''));
    if (chars.length === 1) out.add(word);
  }
  return [...out];
}

/** The index keys a query must all match (each query word matches the words it starts). */
export function searchKeys(q: string): string[] {
  return [...new Set(words(q).map((w) => [...w].slice(0, MAX_PREFIX).join('')))];
}
