import * as Y from 'yjs';
import { docShape } from '@agora/proto';
import type { EncodedRange } from './anchors.js';
import type { CommentAuthor } from './comments.js';
import { idPattern, newId } from './ids.js';

/**
 * Suggested changes, in `doc.getMap('suggestions')`: a proposed replacement for an anchored
 * range, with its author, the text it was made against, and what the lead or a co-author decided.
 * Deciding never changes the author or the original: the suggestion keeps its origin.
 */
export const suggestionStatuses = ['open', 'accepted', 'declined'] as const;
export type SuggestionStatus = (typeof suggestionStatuses)[number];

export interface Suggestion extends EncodedRange {
  id: string;
  /** The text of the range when the suggestion was made. */
  original: string;
  /** What it would become (empty: delete the range). */
  replacement: string;
  author: CommentAuthor;
  createdAt: string;
  status: SuggestionStatus;
  decidedBy: CommentAuthor | null;
  decidedAt: string | null;
}

export const maxSuggestionLength = 4000;

export class SuggestionInputError extends Error {
  constructor(
    readonly reason: 'unchanged' | 'too-long' | 'empty-range' | 'unknown' | 'already-decided',
  ) {
    super(reason);
  }
}

export function suggestionsMap(doc: Y.Doc): Y.Map<Y.Map<unknown>> {
  return doc.getMap<Y.Map<unknown>>(docShape.suggestions);
}

const str = (value: unknown): value is string => typeof value === 'string';

export function readSuggestion(id: string, value: unknown): Suggestion | null {
  if (!idPattern.test(id) || !(value instanceof Y.Map)) return null;
  const m = value as Y.Map<unknown>;
  const get = (key: string) => m.get(key);
  const [anchor, head, original, replacement, authorId, authorName, createdAt, status] = [
    'anchor',
    'head',
    'original',
    'replacement',
    'authorId',
    'authorName',
    'createdAt',
    'status',
  ].map(get);
  if (
    !str(anchor) ||
    !str(head) ||
    !str(original) ||
    !str(replacement) ||
    !str(authorId) ||
    !str(authorName) ||
    !str(createdAt) ||
    !suggestionStatuses.includes(status as SuggestionStatus)
  ) {
    return null;
  }
  const decidedById = get('decidedById');
  const decidedByName = get('decidedByName');
  const decidedAt = get('decidedAt');
  return {
    id,
    anchor,
    head,
    original,
    replacement,
    author: { id: authorId, name: authorName },
    createdAt,
    status: status as SuggestionStatus,
    decidedBy:
      str(decidedById) && str(decidedByName) ? { id: decidedById, name: decidedByName } : null,
    decidedAt: str(decidedAt) ? decidedAt : null,
  };
}

/** Open ones first, then by time. */
export function readSuggestions(doc: Y.Doc): Suggestion[] {
  const all: Suggestion[] = [];
  for (const [id, value] of suggestionsMap(doc).entries()) {
    const s = readSuggestion(id, value);
    if (s) all.push(s);
  }
  return all.sort(
    (a, b) =>
      Number(b.status === 'open') - Number(a.status === 'open') ||
      a.createdAt.localeCompare(b.createdAt) ||
      a.id.localeCompare(b.id),
  );
}

export function createSuggestion(
  doc: Y.Doc,
  input: { range: EncodedRange; original: string; replacement: string; author: CommentAuthor },
  now: Date = new Date(),
): string {
  if (input.original === '') throw new SuggestionInputError('empty-range');
  if (input.replacement === input.original) throw new SuggestionInputError('unchanged');
  if (
    input.replacement.length > maxSuggestionLength ||
    input.original.length > maxSuggestionLength
  ) {
    throw new SuggestionInputError('too-long');
  }
  const id = newId();
  const map = new Y.Map<unknown>();
  doc.transact(() => {
    map.set('anchor', input.range.anchor);
    map.set('head', input.range.head);
    map.set('original', input.original);
    map.set('replacement', input.replacement);
    map.set('authorId', input.author.id);
    map.set('authorName', input.author.name);
    map.set('createdAt', now.toISOString());
    map.set('status', 'open');
    suggestionsMap(doc).set(id, map);
  });
  return id;
}

/**
 * Records the decision (the caller has already replaced the text when accepting). Refused when
 * someone else decided first, so two deciders never both apply it.
 */
export function decideSuggestion(
  doc: Y.Doc,
  id: string,
  status: 'accepted' | 'declined',
  by: CommentAuthor,
  now: Date = new Date(),
): void {
  const map = suggestionsMap(doc).get(id);
  const current = readSuggestion(id, map);
  if (!current || !(map instanceof Y.Map)) throw new SuggestionInputError('unknown');
  if (current.status !== 'open') throw new SuggestionInputError('already-decided');
  doc.transact(() => {
    map.set('status', status);
    map.set('decidedById', by.id);
    map.set('decidedByName', by.name);
    map.set('decidedAt', now.toISOString());
  });
}
