import * as Y from 'yjs';
import { docShape } from '@agora/proto';
import type { EncodedRange } from './anchors.js';
import { idPattern, newId } from './ids.js';

/**
 * Comment threads of a doc, in `doc.getMap('comments')`: one `Y.Map` per thread (by id) so two
 * people replying or resolving at once never overwrite each other; replies in a `Y.Array`.
 * Anything another client wrote in another shape is skipped when read, never trusted.
 */
export interface CommentAuthor {
  id: string;
  name: string;
}

export interface CommentReply {
  id: string;
  author: CommentAuthor;
  createdAt: string;
  text: string;
}

export interface CommentThread extends EncodedRange {
  id: string;
  /** The commented text when the thread was opened (shown if the text changes or goes). */
  quote: string;
  author: CommentAuthor;
  createdAt: string;
  text: string;
  replies: CommentReply[];
  resolved: boolean;
  resolvedBy: CommentAuthor | null;
  resolvedAt: string | null;
}

/** Longest comment or reply; the quote is cut to the same length. */
export const maxCommentLength = 4000;

export class CommentInputError extends Error {
  constructor(readonly reason: 'empty' | 'too-long' | 'unknown-thread') {
    super(reason);
  }
}

export function commentsMap(doc: Y.Doc): Y.Map<Y.Map<unknown>> {
  return doc.getMap<Y.Map<unknown>>(docShape.comments);
}

function cleanText(text: string): string {
  const value = text.trim();
  if (value === '') throw new CommentInputError('empty');
  if (value.length > maxCommentLength) throw new CommentInputError('too-long');
  return value;
}

const str = (value: unknown): value is string => typeof value === 'string';

function readAuthor(map: Y.Map<unknown>, prefix: string): CommentAuthor | null {
  const id = map.get(`${prefix}Id`);
  const name = map.get(`${prefix}Name`);
  return str(id) && str(name) ? { id, name } : null;
}

function readReply(value: unknown): CommentReply | null {
  if (typeof value !== 'object' || value === null) return null;
  const r = value as Record<string, unknown>;
  if (!str(r.id) || !str(r.authorId) || !str(r.authorName) || !str(r.createdAt) || !str(r.text)) {
    return null;
  }
  return {
    id: r.id,
    author: { id: r.authorId, name: r.authorName },
    createdAt: r.createdAt,
    text: r.text,
  };
}

export function readThread(id: string, map: unknown): CommentThread | null {
  if (!idPattern.test(id) || !(map instanceof Y.Map)) return null;
  const m = map as Y.Map<unknown>;
  const anchor = m.get('anchor');
  const head = m.get('head');
  const quote = m.get('quote');
  const createdAt = m.get('createdAt');
  const text = m.get('text');
  const author = readAuthor(m, 'author');
  if (!str(anchor) || !str(head) || !str(quote) || !str(createdAt) || !str(text) || !author) {
    return null;
  }
  const replies = m.get('replies');
  const resolvedAt = m.get('resolvedAt');
  return {
    id,
    anchor,
    head,
    quote,
    author,
    createdAt,
    text,
    replies:
      replies instanceof Y.Array
        ? (replies.toArray() as unknown[])
            .map(readReply)
            .filter((r): r is CommentReply => r !== null)
        : [],
    resolved: m.get('resolved') === true,
    resolvedBy: readAuthor(m, 'resolvedBy'),
    resolvedAt: str(resolvedAt) ? resolvedAt : null,
  };
}

/** Every readable thread, oldest first. */
export function readThreads(doc: Y.Doc): CommentThread[] {
  const threads: CommentThread[] = [];
  for (const [id, map] of commentsMap(doc).entries()) {
    const thread = readThread(id, map);
    if (thread) threads.push(thread);
  }
  return threads.sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
}

export function createThread(
  doc: Y.Doc,
  input: { range: EncodedRange; quote: string; text: string; author: CommentAuthor },
  now: Date = new Date(),
): string {
  const text = cleanText(input.text);
  const id = newId();
  const thread = new Y.Map<unknown>();
  doc.transact(() => {
    thread.set('anchor', input.range.anchor);
    thread.set('head', input.range.head);
    thread.set('quote', input.quote.slice(0, maxCommentLength));
    thread.set('authorId', input.author.id);
    thread.set('authorName', input.author.name);
    thread.set('createdAt', now.toISOString());
    thread.set('text', text);
    thread.set('replies', new Y.Array<unknown>());
    thread.set('resolved', false);
    commentsMap(doc).set(id, thread);
  });
  return id;
}

function threadMap(doc: Y.Doc, threadId: string): Y.Map<unknown> {
  const map = commentsMap(doc).get(threadId);
  if (!(map instanceof Y.Map) || !readThread(threadId, map)) {
    throw new CommentInputError('unknown-thread');
  }
  return map;
}

export function replyToThread(
  doc: Y.Doc,
  threadId: string,
  input: { text: string; author: CommentAuthor },
  now: Date = new Date(),
): string {
  const text = cleanText(input.text);
  const map = threadMap(doc, threadId);
  const id = newId();
  doc.transact(() => {
    let replies = map.get('replies');
    if (!(replies instanceof Y.Array)) {
      replies = new Y.Array<unknown>();
      map.set('replies', replies);
    }
    (replies as Y.Array<unknown>).push([
      {
        id,
        authorId: input.author.id,
        authorName: input.author.name,
        createdAt: now.toISOString(),
        text,
      },
    ]);
  });
  return id;
}

/** Resolves or reopens; who did it is kept. */
export function setThreadResolved(
  doc: Y.Doc,
  threadId: string,
  resolved: boolean,
  by: CommentAuthor,
  now: Date = new Date(),
): void {
  const map = threadMap(doc, threadId);
  doc.transact(() => {
    map.set('resolved', resolved);
    if (resolved) {
      map.set('resolvedById', by.id);
      map.set('resolvedByName', by.name);
      map.set('resolvedAt', now.toISOString());
    } else {
      map.delete('resolvedById');
      map.delete('resolvedByName');
      map.delete('resolvedAt');
    }
  });
}
