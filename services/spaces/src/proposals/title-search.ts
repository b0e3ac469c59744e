/** Longest prefix kept per word: longer query words are cut to it (and still match from the start). */
export const MAX_PREFIX = 16;
const MIN_PREFIX = 2;

/** Title words, lower case, accents and marks removed (é → e, ά → α), split on anything not a letter or digit. */
export function titleWords(title: string): string[] {
  return title
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 0);
}

/** Every prefix of 2 to 16 characters of every word: the multikey index search walks. */
export function titlePrefixes(title: string): string[] {
  const out = new Set<string>();
  for (const word of titleWords(title)) {
    const chars = [...word];
    for (let n = MIN_PREFIX; n <= Math.min(chars.length, MAX_PREFIX); n += 1)
      out.add(chars.slice(0, n).join(''));
    // a one-letter word is still findable by itself
    if (chars.length === 1) out.add(word);
  }
  return [...out];
}

/** The index keys a query must all match (each query word matches title words it starts). */
export function searchKeys(q: string): string[] {
  return [...new Set(titleWords(q).map((w) => [...w].slice(0, MAX_PREFIX).join('')))];
}
