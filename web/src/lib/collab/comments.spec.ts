import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  CommentInputError,
  commentsMap,
  createThread,
  readThreads,
  replyToThread,
  setThreadResolved,
} from './comments.js';

const amal = { id: 'aaaaaaaaaaaaaaaaaaaaaaaa', name: 'Amal' };
const nikos = { id: 'bbbbbbbbbbbbbbbbbbbbbbbb', name: 'Nikos' };
const range = { anchor: 'AQID', head: 'BAUG' };
const sync = (from: Y.Doc, to: Y.Doc) => Y.applyUpdate(to, Y.encodeStateAsUpdate(from));

describe('comment threads', () => {
  it('opens a thread with its anchor, quote and author', () => {
    const doc = new Y.Doc();
    const id = createThread(
      doc,
      { range, quote: 'world', text: '  Which world?  ', author: amal },
      new Date('2026-12-01T10:00:00Z'),
    );
    expect(readThreads(doc)).toEqual([
      {
        id,
        ...range,
        quote: 'world',
        author: amal,
        createdAt: '2026-12-01T10:00:00.000Z',
        text: 'Which world?',
        replies: [],
        resolved: false,
        resolvedBy: null,
        resolvedAt: null,
      },
    ]);
  });

  it('keeps both replies written at once in two editors, and who resolved it', () => {
    const a = new Y.Doc();
    const id = createThread(a, { range, quote: 'q', text: 'First', author: amal });
    const b = new Y.Doc();
    sync(a, b);
    replyToThread(a, id, { text: 'From Amal', author: amal });
    replyToThread(b, id, { text: 'From Nikos', author: nikos });
    setThreadResolved(b, id, true, nikos, new Date('2026-12-01T11:00:00Z'));
    sync(a, b);
    sync(b, a);
    const [thread] = readThreads(a);
    expect(readThreads(b)).toEqual(readThreads(a));
    expect(thread?.replies.map((r) => r.text).sort()).toEqual(['From Amal', 'From Nikos']);
    expect(thread).toMatchObject({
      resolved: true,
      resolvedBy: nikos,
      resolvedAt: '2026-12-01T11:00:00.000Z',
    });
    setThreadResolved(a, id, false, amal);
    expect(readThreads(a)[0]).toMatchObject({
      resolved: false,
      resolvedBy: null,
      resolvedAt: null,
    });
  });

  it('refuses empty and too long text and unknown threads', () => {
    const doc = new Y.Doc();
    expect(() => createThread(doc, { range, quote: 'q', text: '   ', author: amal })).toThrow(
      CommentInputError,
    );
    expect(() =>
      createThread(doc, { range, quote: 'q', text: 'x'.repeat(4001), author: amal }),
    ).toThrow('too-long');
    expect(() => replyToThread(doc, 'f'.repeat(32), { text: 'hi', author: amal })).toThrow(
      'unknown-thread',
    );
    expect(() => setThreadResolved(doc, 'nope', true, amal)).toThrow('unknown-thread');
    expect(readThreads(doc)).toEqual([]);
  });

  it('skips what another client wrote in another shape', () => {
    const doc = new Y.Doc();
    const ok = createThread(doc, { range, quote: 'q', text: 'fine', author: amal });
    const broken = new Y.Map<unknown>();
    commentsMap(doc).set('c'.repeat(32), broken);
    broken.set('text', 42);
    commentsMap(doc).set('not-an-id', new Y.Map());
    const replies = commentsMap(doc).get(ok)?.get('replies') as Y.Array<unknown>;
    replies.push(['a plain string', { id: 'x', text: 'no author' }]);
    expect(readThreads(doc).map((t) => [t.id, t.replies.length])).toEqual([[ok, 0]]);
  });
});
