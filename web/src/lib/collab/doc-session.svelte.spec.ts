import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebSocket as NodeWebSocket } from 'ws';
import * as Y from 'yjs';
import { collabCloseCodes } from '@agora/proto';
import { DocSession, type DocTokenSource } from './doc-session.svelte.js';
import { startCollabTestServer, type CollabTestServer } from './collab-test-server.js';

// A real y-websocket server speaking collab's contract, and the stock WebsocketProvider inside
// DocSession talking to it over real sockets.
const docName = 'proposal:0123456789abcdef01234567';
let server: CollabTestServer;
const sessions: DocSession[] = [];

beforeEach(async () => {
  server = await startCollabTestServer();
  server.validTokens.add('token-1');
});

afterEach(async () => {
  for (const s of sessions.splice(0)) s.destroy();
  await server.close();
});

async function until(check: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

function tokens(first: string, next: string | null): DocTokenSource & { refreshes: number } {
  const source = {
    accessToken: first as string | null,
    refreshes: 0,
    refresh(): Promise<boolean> {
      source.refreshes += 1;
      if (next === null) return Promise.resolve(false);
      source.accessToken = next;
      return Promise.resolve(true);
    },
  };
  return source;
}

function open(
  t: DocTokenSource,
  user = { id: 'aaaaaaaaaaaaaaaaaaaaaaaa', name: 'Amal Haddad' },
): DocSession {
  const s = new DocSession({
    docName,
    user,
    tokens: t,
    serverUrl: server.url,
    offline: false,
    WebSocketPolyfill: NodeWebSocket as unknown as typeof WebSocket,
    rateLimitRetryMs: 200,
    stallMs: 300,
  });
  sessions.push(s);
  return s;
}

function type(s: DocSession, text: string): void {
  const t = s.doc.getText('t');
  t.insert(t.length, text);
}

const serverText = () => server.docs.get(docName)?.getText('t').toJSON() ?? '';

describe('DocSession', () => {
  it('connects with the token, syncs, and says saved once collab acknowledges every edit', async () => {
    const s = open(tokens('token-1', null));
    await until(() => s.status === 'saved', 'saved');
    expect(server.handshakes).toEqual(['token-1']);

    server.holdAcks = true;
    type(s, 'a');
    type(s, 'b');
    await until(() => serverText() === 'ab', 'edits on the server');
    expect(s.status).toBe('syncing');
    expect(s.pending).toBe(2);

    server.releaseAcks();
    await until(() => s.status === 'saved', 'saved again');
    expect(s.pending).toBe(0);
  });

  it('counts changes made offline and merges them when the connection returns', async () => {
    const s = open(tokens('token-1', null));
    await until(() => s.status === 'saved', 'saved');
    type(s, 'before ');
    await until(() => serverText() === 'before ', 'first edit');

    // Collab restarts and refuses for a while: the provider retries on its own (4503).
    server.refuseWith = collabCloseCodes.shuttingDown;
    server.dropAll(collabCloseCodes.shuttingDown);
    await until(() => s.status === 'offline', 'offline');
    type(s, 'one ');
    type(s, 'two ');
    type(s, 'three');
    expect(s.pending).toBe(3);
    expect(s.status).toBe('offline');

    // Meanwhile someone else edited the doc on the server.
    server.docs.get(docName)?.getText('t').insert(0, '>> ');

    server.refuseWith = null;
    await until(() => s.status === 'saved', 'saved after reconnect', 8000);
    expect(s.pending).toBe(0);
    expect(serverText()).toBe('>> before one two three');
    expect(s.doc.getText('t').toJSON()).toBe(serverText());
  });

  it('on 4401 renews the token and reconnects with the same doc, losing no edit', async () => {
    const t = tokens('token-1', 'token-2');
    const s = open(t);
    await until(() => s.status === 'saved', 'saved');
    const doc = s.doc;
    type(s, 'typed with the first token. ');
    await until(() => s.status === 'saved', 'first edit saved');

    // The token expires; a network blip drops the socket; the next handshake is refused 4401.
    server.validTokens.clear();
    server.validTokens.add('token-2');
    server.dropAll(1001);
    type(s, 'typed while reconnecting. ');
    await until(() => t.refreshes === 1, 'a token refresh');
    type(s, 'typed right after the refresh.');
    await until(() => s.status === 'saved', 'saved with the new token', 8000);

    expect(s.doc).toBe(doc);
    expect(server.handshakes.at(-1)).toBe('token-2');
    expect(server.handshakes).toContain('token-1');
    expect(t.refreshes).toBe(1);
    expect(s.closedReason).toBeNull();
    const want =
      'typed with the first token. typed while reconnecting. typed right after the refresh.';
    expect(serverText()).toBe(want);
    expect(Y.encodeStateVector(server.docs.get(docName) as Y.Doc)).toEqual(
      Y.encodeStateVector(s.doc),
    );
  });

  it('holds edits typed before the server sync step 1 and sends them once, in the catch-up', async () => {
    server.step1DelayMs = 150;
    const s = open(tokens('token-1', null));
    await until(() => s.provider.wsconnected, 'socket open');
    type(s, 'early ');
    type(s, 'bird');
    expect(s.pending).toBe(2);
    await until(() => s.status === 'saved', 'saved');
    expect(serverText()).toBe('early bird');
    // One catch-up message, nothing sent twice.
    expect(server.updatesReceived).toBe(1);
  });

  it('is saved again after an edit collab did not count (both deleted the same word)', async () => {
    server.validTokens.add('token-b');
    const a = open(tokens('token-1', null));
    const b = open(tokens('token-b', null), { id: 'bbbbbbbbbbbbbbbbbbbbbbbb', name: 'Nikos' });
    type(a, 'one two three');
    await until(() => b.doc.getText('t').toJSON() === 'one two three', 'b has the text');
    await until(() => a.status === 'saved' && b.status === 'saved', 'both saved');
    // Both delete "two " at once: the second delete changes nothing on the server.
    server.holdAcks = true;
    const relay = server.docs.get(docName) as Y.Doc;
    const deleteTwo = (s: DocSession) => s.doc.getText('t').delete(4, 4);
    const before = server.updatesReceived;
    // Keep b from hearing a's delete first: apply both locally before either reaches the server.
    deleteTwo(a);
    deleteTwo(b);
    await until(() => server.updatesReceived === before + 2, 'both deletes at the server');
    server.releaseAcks();
    await until(() => a.status === 'saved' && b.status === 'saved', 'both saved again', 4000);
    // b got there through a barrier (a sync step 1), without reconnecting.
    expect(server.handshakes).toHaveLength(2);
    expect(relay.getText('t').toJSON()).toBe('one three');
    expect(a.doc.getText('t').toJSON()).toBe('one three');
    expect(b.doc.getText('t').toJSON()).toBe('one three');
  });

  it('is saved after coming back with an offline delete collab already had', async () => {
    server.validTokens.add('token-b');
    const a = open(tokens('token-1', null));
    const b = open(tokens('token-b', null), { id: 'bbbbbbbbbbbbbbbbbbbbbbbb', name: 'Nikos' });
    type(a, 'keep drop keep');
    await until(() => b.doc.getText('t').toJSON() === 'keep drop keep', 'b has the text');
    await until(() => b.status === 'saved', 'b saved');
    // b loses its connection; a deletes "drop "; b deletes the same word offline.
    server.refuseWith = collabCloseCodes.shuttingDown;
    for (const s of [b]) s.provider.ws?.close();
    await until(() => b.status === 'offline', 'b offline');
    server.refuseWith = null;
    a.doc.getText('t').delete(5, 5);
    server.refuseWith = collabCloseCodes.shuttingDown;
    b.doc.getText('t').delete(5, 5);
    expect(b.pending).toBe(1);
    server.refuseWith = null;
    // Its catch-up changes nothing on the server (only the delete set): no 101 ever comes.
    await until(() => b.status === 'saved', 'b saved after its no-op catch-up', 4000);
    expect(b.doc.getText('t').toJSON()).toBe('keep keep');
    expect(serverText()).toBe('keep keep');
  });

  it('gives up with "unauthenticated" when the refresh fails, without a reconnect loop', async () => {
    const t = tokens('expired', null);
    const s = open(t);
    await until(() => s.closedReason === 'unauthenticated', 'unauthenticated');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(t.refreshes).toBe(1);
    expect(server.handshakes).toEqual(['expired']);
    expect(s.status).toBe('offline');
  });

  it('gives up when even the renewed token is refused', async () => {
    const t = tokens('expired', 'also-refused');
    const s = open(t);
    await until(() => s.closedReason === 'unauthenticated', 'unauthenticated');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(server.handshakes).toEqual(['expired', 'also-refused']);
    expect(t.refreshes).toBe(1);
  });

  it('shows read-only on message 100 and collab keeps none of its edits', async () => {
    server.validTokens.add('reader');
    server.readOnlyTokens.add('reader');
    const writer = open(tokens('token-1', null));
    await until(() => writer.status === 'saved', 'writer saved');
    type(writer, 'from the writer');
    const reader = open(tokens('reader', null), { id: 'bbbbbbbbbbbbbbbbbbbbbbbb', name: 'Nikos' });
    await until(() => reader.readOnly, 'read-only');
    await until(() => reader.doc.getText('t').toJSON() === 'from the writer', 'reader synced');
    type(reader, '!');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(serverText()).toBe('from the writer');
    expect(writer.readOnly).toBe(false);
  });

  it('leaves read-only on message 103 without reconnecting: its edits reach collab again', async () => {
    server.validTokens.add('reader');
    server.readOnlyTokens.add('reader');
    const writer = open(tokens('token-1', null));
    await until(() => writer.status === 'saved', 'writer saved');
    type(writer, 'from the writer');
    const reader = open(tokens('reader', null), { id: 'bbbbbbbbbbbbbbbbbbbbbbbb', name: 'Nikos' });
    await until(() => reader.readOnly, 'read-only');
    await until(() => reader.doc.getText('t').toJSON() === 'from the writer', 'reader synced');
    const handshakes = server.handshakes.length;
    server.allowWriting('reader');
    await until(() => !reader.readOnly, 'writable again');
    type(reader, '!');
    await until(() => serverText() === 'from the writer!', 'the edit on the server');
    await until(() => reader.status === 'saved', 'reader saved');
    expect(server.handshakes.length).toBe(handshakes);
  });

  it('shows comment-only on message 102: comments reach collab, text edits do not', async () => {
    server.validTokens.add('commenter');
    server.commentOnlyTokens.add('commenter');
    const writer = open(tokens('token-1', null));
    await until(() => writer.status === 'saved', 'writer saved');
    type(writer, 'the text');
    const commenter = open(tokens('commenter', null), {
      id: 'cccccccccccccccccccccccc',
      name: 'Ama',
    });
    await until(() => commenter.commentOnly, 'comment-only');
    expect(commenter.readOnly).toBe(false);
    expect(writer.commentOnly).toBe(false);
    await until(() => commenter.doc.getText('t').toJSON() === 'the text', 'commenter synced');
    commenter.doc.getMap('comments').set('c1', 'a comment');
    await until(
      () => server.docs.get(docName)?.getMap('comments').get('c1') === 'a comment',
      'comment on the server',
    );
    await until(() => commenter.status === 'saved', 'comment saved');
    type(commenter, '!');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(serverText()).toBe('the text');
  });

  it('4403 closes for good with "forbidden"', async () => {
    const s = open(tokens('token-1', null));
    await until(() => s.status === 'saved', 'saved');
    server.dropAll(collabCloseCodes.forbidden);
    await until(() => s.closedReason === 'forbidden', 'forbidden');
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(server.handshakes).toHaveLength(1);
  });

  it('4413 closes for good with "too-large"', async () => {
    server.refuseWith = collabCloseCodes.tooLarge;
    const s = open(tokens('token-1', null));
    await until(() => s.closedReason === 'too-large', 'too-large');
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(server.handshakes).toHaveLength(1);
  });

  it('after 4429 comes back by itself later', async () => {
    server.refuseWith = collabCloseCodes.rateLimited;
    const s = open(tokens('token-1', null));
    await until(() => s.closedReason === 'rate-limited', 'rate-limited');
    server.refuseWith = null;
    await until(() => s.status === 'saved', 'saved after the pause');
    expect(s.closedReason).toBeNull();
    expect(server.handshakes).toHaveLength(2);
  });

  it('lists who is in the doc with names and stable colours, and notices them leave', async () => {
    server.validTokens.add('token-b');
    const a = open(tokens('token-1', null));
    const b = open(tokens('token-b', null), {
      id: 'bbbbbbbbbbbbbbbbbbbbbbbb',
      name: 'Nikos Pappas',
    });
    await until(() => a.peers.length === 2 && b.peers.length === 2, 'both present');
    expect(a.peers.map((p) => [p.name, p.self])).toEqual([
      ['Amal Haddad', true],
      ['Nikos Pappas', false],
    ]);
    expect(a.peers[1]?.color).toBe(b.user.color);
    b.destroy();
    await until(() => a.peers.length === 1, 'b gone');
  });

  it('shows a member again at once after their connection came back', async () => {
    server.validTokens.add('token-b');
    const a = open(tokens('token-1', null));
    const b = open(tokens('token-b', null), {
      id: 'bbbbbbbbbbbbbbbbbbbbbbbb',
      name: 'Nikos Pappas',
    });
    await until(() => a.peers.length === 2, 'both present');
    b.provider.ws?.close();
    await until(() => a.peers.length === 1, 'b gone while disconnected');
    await until(() => b.status === 'saved', 'b back');
    await until(() => a.peers.length === 2, 'b present again', 1500);
  });

  it('destroy closes the socket and stops reconnecting', async () => {
    const s = open(tokens('token-1', null));
    await until(() => s.status === 'saved', 'saved');
    s.destroy();
    expect(s.status).toBe('offline');
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(server.handshakes).toHaveLength(1);
  });
});
