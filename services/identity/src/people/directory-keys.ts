import { defaultPublicFields, type HideableProfileField, type PeopleFilter } from '@agora/proto';
import type { MemberRecord } from '../members/member.types.js';

/**
 * The directory's search keys, kept on each member document (`directory`, a multikey index) by
 * identity whenever the member is written, so every directory query is an indexed equality on one
 * key (no `$text`, no collation, no regex scan: the embedded store's subset):
 *
 * - `n:<prefix>` for every prefix (1–20 characters) of every word of the normalised display name;
 * - `c:<country>`, and `s:<sector>`, `e:<area>`, `l:<language>` for the fields the member shows.
 *
 * The unfiltered list uses `listed` (true for active members) on a plain, not multikey, index
 * with `nameSort`, which the store reads in order and counts without reading documents.
 * Members who are not active have no keys and are not listed, so no query can find them.
 */
/** What `queryKeys` answers when nothing is asked: the whole list (`listed: true`). */
export const ALL_KEY = 'a';
/** Longest stored prefix: longer query words are cut to it (the match is then re-checked). */
export const MAX_PREFIX = 20;
/** Name words kept per member, and query words used. */
export const MAX_WORDS = 8;

/** Arabic letter forms members type interchangeably, and Greek's final sigma. */
const foldLetters: Record<string, string> = {
  أ: 'ا',
  إ: 'ا',
  آ: 'ا',
  ٱ: 'ا',
  ى: 'ي',
  ة: 'ه',
  ؤ: 'و',
  ئ: 'ي',
  ς: 'σ',
};
const foldPattern = new RegExp(`[${Object.keys(foldLetters).join('')}]`, 'gu');

/**
 * Lower case without accents or Arabic vowel marks (NFKD, combining marks and tatweel dropped),
 * letter variants folded: "Élodie", "elodie" and "ÉLODIE" are one name; "أحمد" and "احمد" too.
 */
export function normaliseName(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\p{M}\u0640]/gu, '')
    .toLowerCase()
    .replace(foldPattern, (c) => foldLetters[c] ?? c)
    .normalize('NFC');
}

/** The words of a name or query, normalised (letters and digits; everything else separates). */
export function nameWords(text: string): string[] {
  const words = normaliseName(text)
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 0);
  return [...new Set(words)].slice(0, MAX_WORDS);
}

function prefixes(word: string): string[] {
  const chars = [...word].slice(0, MAX_PREFIX);
  return chars.map((_, i) => chars.slice(0, i + 1).join(''));
}

/** The hideable fields the member shows to other members. */
export function publicFieldsOf(m: Pick<MemberRecord, 'publicFields'>): HideableProfileField[] {
  return m.publicFields ? [...m.publicFields] : [...defaultPublicFields];
}

/** What `directory` and `nameSort` hold for a member in this state. */
export function directoryEntryOf(
  m: Pick<
    MemberRecord,
    'status' | 'displayName' | 'country' | 'sector' | 'expertise' | 'languages' | 'publicFields'
  >,
): { directory: string[]; nameSort: string; listed: boolean } {
  const nameSort = normaliseName(m.displayName);
  if (m.status !== 'active') return { directory: [], nameSort, listed: false };
  const shown = new Set(publicFieldsOf(m));
  const keys = new Set<string>();
  for (const word of nameWords(m.displayName)) for (const p of prefixes(word)) keys.add(`n:${p}`);
  if (m.country) keys.add(`c:${m.country}`);
  if (shown.has('sector') && m.sector) keys.add(`s:${m.sector}`);
  if (shown.has('expertise')) for (const e of m.expertise) keys.add(`e:${e}`);
  if (shown.has('languages')) for (const l of m.languages) keys.add(`l:${l}`);
  return { directory: [...keys], nameSort, listed: true };
}

/**
 * The keys a filter asks for, the one expected to narrow the most first (the query walks the
 * index on it; the others are checked on what it finds): the longest name word, then language,
 * expertise, country, sector; `a` alone when nothing is asked.
 */
export function queryKeys(filter: PeopleFilter): string[] {
  const words = nameWords(filter.q)
    .map((w) => [...w].slice(0, MAX_PREFIX).join(''))
    .sort((a, b) => [...b].length - [...a].length);
  const keys = words.map((w) => `n:${w}`);
  if (filter.language) keys.push(`l:${filter.language}`);
  if (filter.expertise) keys.push(`e:${filter.expertise}`);
  if (filter.country) keys.push(`c:${filter.country}`);
  if (filter.sector) keys.push(`s:${filter.sector}`);
  return keys.length > 0 ? [...new Set(keys)] : [ALL_KEY];
}
