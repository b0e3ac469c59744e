import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { commentRoots, staysWithin } from './comment-scope.js';

/** A live doc with a body paragraph and one comment, and a commenter's replica of it. */
function setup(): { live: Y.Doc; client: Y.Doc; updates: Uint8Array[] } {
  const live = new Y.Doc({ gc: true });
  const p = new Y.XmlElement('paragraph');
  p.insert(0, [new Y.XmlText('The body text')]);
  live.getXmlFragment('default').insert(0, [p]);
  const thread = new Y.Map<unknown>();
  live.getMap('comments').set('c1', thread);
  thread.set('text', 'first');
  const client = new Y.Doc();
  Y.applyUpdate(client, Y.encodeStateAsUpdate(live));
  const updates: Uint8Array[] = [];
  client.on('update', (u: Uint8Array) => updates.push(u));
  return { live, client, updates };
}

const bodyText = (doc: Y.Doc) =>
  (doc.getXmlFragment('default').get(0) as Y.XmlElement).get(0) as Y.XmlText;

/** Checks then applies, as LiveDoc does. */
function offer(live: Y.Doc, update: Uint8Array): boolean {
  const ok = staysWithin(live, update, commentRoots);
  if (ok) Y.applyUpdate(live, update);
  return ok;
}

describe('staysWithin (comments and suggestions only)', () => {
  it('accepts a new comment and a suggestion set on the root maps', () => {
    const { live, client, updates } = setup();
    client.getMap('comments').set('c2', 'plain value');
    client.getMap('suggestions').set('s1', { from: 1, replacement: 'better' });
    expect(updates).toHaveLength(2);
    expect(updates.every((u) => offer(live, u))).toBe(true);
    expect(live.getMap('suggestions').get('s1')).toEqual({ from: 1, replacement: 'better' });
  });

  it('accepts nested types inside comments, in one update and then edited through their ids', () => {
    const { live, client, updates } = setup();
    const thread = new Y.Map<unknown>();
    const replies = new Y.Array<Y.Text>();
    client.getMap('comments').set('c2', thread);
    thread.set('replies', replies);
    const reply = new Y.Text('a reply');
    replies.push([reply]);
    // Typed into a text already in the live doc: items with origins only.
    reply.insert(7, ' continued');
    (client.getMap('comments').get('c1') as Y.Map<unknown>).set('resolved', true);
    expect(updates.length).toBeGreaterThan(3);
    for (const u of updates) expect(offer(live, u)).toBe(true);
    const liveThread = live.getMap('comments').get('c2') as Y.Map<Y.Array<Y.Text>>;
    const liveReply = liveThread.get('replies')!.get(0);
    expect(liveReply).toBeInstanceOf(Y.Text);
    expect(liveReply.toJSON()).toBe('a reply continued');
  });

  it('refuses an edit of the body and of any other root', () => {
    const { live, client, updates } = setup();
    bodyText(client).insert(0, 'Hacked: ');
    client.getArray('budget').push([1]);
    client.getMap('other').set('k', 1);
    expect(updates).toHaveLength(3);
    for (const u of updates) expect(staysWithin(live, u, commentRoots)).toBe(false);
  });

  it('refuses a mixed update (a comment and a body edit in one transaction)', () => {
    const { live, client, updates } = setup();
    client.transact(() => {
      client.getMap('comments').set('c2', 'fine');
      bodyText(client).insert(0, 'not fine ');
    });
    expect(updates).toHaveLength(1);
    expect(staysWithin(live, updates[0]!, commentRoots)).toBe(false);
    // Merged updates are decided as a whole too.
    const comment = new Y.Doc();
    Y.applyUpdate(comment, Y.encodeStateAsUpdate(live));
    const more: Uint8Array[] = [];
    comment.on('update', (u: Uint8Array) => more.push(u));
    comment.getMap('comments').set('c3', 'ok');
    expect(staysWithin(live, more[0]!, commentRoots)).toBe(true);
    expect(staysWithin(live, Y.mergeUpdates([more[0]!, updates[0]!]), commentRoots)).toBe(false);
  });

  it('accepts deleting a comment and text inside one', () => {
    const { live, client, updates } = setup();
    const thread = client.getMap('comments').get('c1') as Y.Map<unknown>;
    thread.delete('text');
    client.getMap('comments').delete('c1');
    for (const u of updates) expect(offer(live, u)).toBe(true);
    expect(live.getMap('comments').has('c1')).toBe(false);
  });

  it('refuses deleting body text, alone or with a comment deletion', () => {
    const { live, client, updates } = setup();
    bodyText(client).delete(0, 4);
    expect(staysWithin(live, updates[0]!, commentRoots)).toBe(false);
    client.transact(() => {
      client.getMap('comments').delete('c1');
      client.getXmlFragment('default').delete(0, 1);
    });
    expect(staysWithin(live, updates[1]!, commentRoots)).toBe(false);
  });

  it("accepts a reconnect's step 2: the whole delete set, body deletions already done included", () => {
    const { live, client } = setup();
    // A writer deleted body text; the commenter received it.
    const writer = new Y.Doc();
    Y.applyUpdate(writer, Y.encodeStateAsUpdate(live));
    writer.on('update', (u: Uint8Array) => {
      Y.applyUpdate(live, u);
      Y.applyUpdate(client, u);
    });
    bodyText(writer).delete(0, 4);
    client.getMap('comments').set('c2', 'while offline');
    const step2 = Y.encodeStateAsUpdate(client, Y.encodeStateVector(live));
    expect(offer(live, step2)).toBe(true);
    expect(live.getMap('comments').get('c2')).toBe('while offline');
    expect(bodyText(live).toString()).toBe('body text');
  });

  it('refuses what it cannot resolve: unknown parents and origins, deletions of unknown items, garbage', () => {
    const { live, client, updates } = setup();
    const thread = new Y.Map<unknown>();
    client.getMap('comments').set('c2', thread);
    thread.set('text', 'hi');
    // The second update's parent (the new map) is not in the live doc: it would wait, refused.
    expect(staysWithin(live, updates[1]!, commentRoots)).toBe(false);

    const stranger = new Y.Doc();
    stranger.getXmlFragment('default').insert(0, [new Y.XmlText('x')]);
    stranger.getXmlFragment('default').delete(0, 1);
    // Only a delete set, for items the live doc does not hold (a future body insert, say).
    const deletions = Y.encodeStateAsUpdate(stranger, Y.encodeStateVector(stranger));
    expect(staysWithin(live, deletions, commentRoots)).toBe(false);

    expect(staysWithin(live, Uint8Array.of(1, 2, 3, 250, 251), commentRoots)).toBe(false);
  });
});
