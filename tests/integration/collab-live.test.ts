// The live path of collab (issue 9) with real parts: two replicas in process on one nats-server
// (JetStream) and one embedded store, a stand-in spaces answering doc.access from a table, stock
// y-websocket clients, and raw `ws` sockets for what a stock client never sends.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as encoding from 'lib0/encoding';
import WebSocket from 'ws';
import * as Y from 'yjs';
import * as awarenessProtocol from 'y-protocols/awareness';
import { WebsocketProvider } from 'y-websocket';
import { DocRegistry, DocStore } from '@agora/collab';
import {
  collabCapsAgora,
  collabCapsParam,
  collabCloseCodes,
  collabMessageTypes,
  spacesEvents,
} from '@agora/proto';
import { startCollabHub, until, type CollabHub, type CollabReplica } from './collab-fixture.js';

const hex = (n: number) => n.toString(16).padStart(24, '0');
let docCounter = 0;
const newDoc = () => `proposal:${hex(0xabc000 + (docCounter += 1))}`;
const alice = hex(1);
const bob = hex(2);
const reader = hex(3);
const carol = hex(4);

let hub: CollabHub;
let r1: CollabReplica;
let r2: CollabReplica;
const providers: WebsocketProvider[] = [];

beforeAll(async () => {
  hub = await startCollabHub('collab-live', {
    replicas: 2,
    env: {
      COLLAB_MAX_MESSAGE_BYTES: String(64 * 1024),
      COLLAB_RATE_MESSAGES_PER_S: '200',
      COLLAB_RATE_MESSAGES_BURST: '400',
      COLLAB_IDLE_UNLOAD_MS: '300',
    },
  });
  [r1, r2] = hub.replicas as [CollabReplica, CollabReplica];
});

afterAll(async () => {
  for (const p of providers) p.destroy();
  await hub?.stop();
});

function connect(
  replica: CollabReplica,
  docName: string,
  token: string,
  extra: {
    onReadOnly?: () => void;
    onCommentOnly?: () => void;
    onWritable?: () => void;
    onSaved?: (count: number) => void;
  } = {},
): { doc: Y.Doc; provider: WebsocketProvider; text: Y.Text } {
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(`${replica.wsBase}/collab`, docName, doc, {
    // caps=agora: collab's own message types (100–103), which this test listens for.
    params: { token, [collabCapsParam]: collabCapsAgora },
    WebSocketPolyfill: WebSocket as never,
    disableBc: true,
    connect: false,
  });
  // A stock client ignores types it does not know; the test listens for collab's own.
  provider.messageHandlers[collabMessageTypes.readOnly] = () => extra.onReadOnly?.();
  provider.messageHandlers[collabMessageTypes.commentOnly] = () => extra.onCommentOnly?.();
  provider.messageHandlers[collabMessageTypes.writable] = () => extra.onWritable?.();
  provider.messageHandlers[collabMessageTypes.savedUpTo] = (_enc, dec) => {
    // varuint count after the type
    let count = 0;
    let shift = 0;
    for (;;) {
      const b = dec.arr[dec.pos++]!;
      count += (b & 0x7f) * 2 ** shift;
      if (b < 0x80) break;
      shift += 7;
    }
    extra.onSaved?.(count);
  };
  provider.connect();
  providers.push(provider);
  return { doc, provider, text: doc.getText('body') };
}

function synced(provider: WebsocketProvider): Promise<void> {
  if (provider.synced) return Promise.resolve();
  return new Promise((resolve) => provider.once('sync', () => resolve()));
}

function closedWith(provider: WebsocketProvider): Promise<{ code: number; reason: string }> {
  return new Promise((resolve) => provider.once('closed', (e) => resolve(e)));
}

/** A raw socket: resolves with its close code and reason. */
function raw(
  url: string,
  onOpen?: (ws: WebSocket) => void,
): Promise<{ code: number; reason: string; messages: Buffer[] }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    const messages: Buffer[] = [];
    ws.on('message', (d: Buffer) => messages.push(d));
    ws.on('open', () => onOpen?.(ws));
    ws.on('error', reject);
    ws.on('close', (code, reason) => resolve({ code, reason: reason.toString(), messages }));
  });
}

function frame(...parts: (number | Uint8Array)[]): Uint8Array {
  const e = encoding.createEncoder();
  for (const p of parts) {
    if (typeof p === 'number') encoding.writeVarUint(e, p);
    else encoding.writeVarUint8Array(e, p);
  }
  return encoding.toUint8Array(e);
}

function durable(replica: CollabReplica, docName: string) {
  // The fixture's in-process replicas expose their providers.
  return replica.service!.app.get(DocStore).loadDurable(docName);
}

describe('collab live path', () => {
  it('two stock clients on different replicas converge; a late joiner gets the full state', async () => {
    const docName = newDoc();
    hub.setRight(alice, docName, 'write');
    hub.setRight(bob, docName, 'write');
    hub.setRight(carol, docName, 'write');
    const a = connect(r1, docName, await hub.tokenFor(alice));
    const b = connect(r2, docName, await hub.tokenFor(bob));
    await Promise.all([synced(a.provider), synced(b.provider)]);
    a.text.insert(0, 'hello ');
    b.text.insert(0, 'world ');
    for (let i = 0; i < 200; i += 1) (i % 2 ? a : b).text.insert(0, String(i % 10));
    await until(() => {
      expect(a.text.toJSON()).toBe(b.text.toJSON());
      expect(a.text.length).toBe(12 + 200);
    });
    const late = connect(r1, docName, await hub.tokenFor(carol));
    await synced(late.provider);
    await until(() => expect(late.text.toJSON()).toBe(a.text.toJSON()));
    // Everything any client saw is in the log: a fresh load holds it byte for byte.
    const fresh = await durable(r2, docName);
    expect(fresh.doc.getText('body').toJSON()).toBe(a.text.toJSON());
    expect(fresh.seq).toBeGreaterThan(0);
  });

  it('tells a writer how many of its edits are durable (type 101)', async () => {
    const docName = newDoc();
    hub.setRight(alice, docName, 'write');
    let saved = 0;
    const a = connect(r1, docName, await hub.tokenFor(alice), { onSaved: (n) => (saved = n) });
    await synced(a.provider);
    for (let i = 0; i < 5; i += 1) {
      a.text.insert(i, 'x');
      await new Promise((r) => setTimeout(r, 20));
    }
    await until(() => expect(saved).toBe(5));
  });

  it('a read-only member gets type 100, receives edits, and cannot change the doc', async () => {
    const docName = newDoc();
    hub.setRight(alice, docName, 'write');
    hub.setRight(reader, docName, 'read');
    let told = 0;
    const w = connect(r1, docName, await hub.tokenFor(alice));
    const r = connect(r2, docName, await hub.tokenFor(reader), { onReadOnly: () => (told += 1) });
    await Promise.all([synced(w.provider), synced(r.provider)]);
    expect(told).toBe(1);
    w.text.insert(0, 'from the writer');
    await until(() => expect(r.text.toJSON()).toBe('from the writer'));
    r.text.insert(0, 'READER ');
    await new Promise((res) => setTimeout(res, 300));
    expect(w.text.toJSON()).toBe('from the writer');
    expect((await durable(r1, docName)).doc.getText('body').toJSON()).toBe('from the writer');
    // Never closed for trying.
    expect(r.provider.wsconnected).toBe(true);
  });

  it('a commenter gets type 102: its comments go through, its text edits do not', async () => {
    const docName = newDoc();
    const spaceId = docName.split(':')[1]!;
    hub.setRight(alice, docName, 'write');
    hub.setRight(bob, docName, 'comment');
    let told = 0;
    let toldWriter = 0;
    const w = connect(r1, docName, await hub.tokenFor(alice), {
      onCommentOnly: () => (toldWriter += 1),
    });
    const c = connect(r2, docName, await hub.tokenFor(bob), { onCommentOnly: () => (told += 1) });
    await Promise.all([synced(w.provider), synced(c.provider)]);
    expect(told).toBe(1);
    w.text.insert(0, 'the text');
    await until(() => expect(c.text.toJSON()).toBe('the text'));
    const thread = new Y.Map<string>();
    c.doc.getMap('comments').set('t1', thread);
    thread.set('body', 'a remark');
    c.doc.getMap('suggestions').set('s1', 'better words');
    await until(() =>
      expect((w.doc.getMap('comments').get('t1') as Y.Map<string> | undefined)?.get('body')).toBe(
        'a remark',
      ),
    );
    expect(w.doc.getMap('suggestions').get('s1')).toBe('better words');
    c.text.insert(0, 'COMMENTER ');
    await new Promise((res) => setTimeout(res, 300));
    expect(w.text.toJSON()).toBe('the text');
    const stored = (await durable(r1, docName)).doc;
    expect(stored.getText('body').toJSON()).toBe('the text');
    expect(stored.getMap('suggestions').get('s1')).toBe('better words');
    expect(c.provider.wsconnected).toBe(true);

    // A writer turned commenter is told so and keeps commenting only.
    hub.setRight(alice, docName, 'comment');
    await hub.publish(spacesEvents.docAccessChanged, { spaceId, kind: 'proposal' });
    await until(() => expect(toldWriter).toBe(1), 1_000);
    w.doc.getMap('comments').set('t2', 'from the lead');
    await until(async () =>
      expect((await durable(r1, docName)).doc.getMap('comments').get('t2')).toBe('from the lead'),
    );
    w.text.insert(0, 'dropped ');
    await new Promise((res) => setTimeout(res, 300));
    expect((await durable(r1, docName)).doc.getText('body').toJSON()).toBe('the text');
  });

  it('closes a removed member with 4403 within 1 s, and a deleted account too', async () => {
    const docName = newDoc();
    const spaceId = docName.split(':')[1]!;
    hub.setRight(bob, docName, 'write');
    hub.setRight(carol, docName, 'write');
    const b = connect(r2, docName, await hub.tokenFor(bob));
    const c = connect(r1, docName, await hub.tokenFor(carol));
    await Promise.all([synced(b.provider), synced(c.provider)]);
    const closedB = closedWith(b.provider);
    hub.setRight(bob, docName, 'none');
    const t0 = Date.now();
    await hub.publish(spacesEvents.membershipRemoved, { spaceId, memberId: bob });
    const closeB = await closedB;
    expect(closeB.code).toBe(collabCloseCodes.forbidden);
    expect(Date.now() - t0).toBeLessThan(1_000);
    // Carol, in the same doc, is untouched.
    expect(c.provider.wsconnected).toBe(true);

    const closedC = closedWith(c.provider);
    const { identityEvents } = await import('@agora/proto');
    const t1 = Date.now();
    await hub.publish(identityEvents.memberDeleted, { memberId: carol });
    expect((await closedC).code).toBe(collabCloseCodes.forbidden);
    expect(Date.now() - t1).toBeLessThan(1_000);
  });

  it('downgrades a writer to read-only on docAccessChanged, and stays open past token expiry', async () => {
    const docName = newDoc();
    const spaceId = docName.split(':')[1]!;
    hub.setRight(alice, docName, 'write');
    let told = 0;
    const a = connect(r1, docName, await hub.tokenFor(alice, { ttlSeconds: 1 }), {
      onReadOnly: () => (told += 1),
    });
    await synced(a.provider);
    a.text.insert(0, 'kept');
    await until(async () =>
      expect((await durable(r1, docName)).doc.getText('body').toJSON()).toBe('kept'),
    );
    hub.setRight(alice, docName, 'read');
    await hub.publish(spacesEvents.docAccessChanged, { spaceId, kind: 'proposal' });
    await until(() => expect(told).toBe(1), 1_000);
    // The token has expired by now; the connection is still open.
    await new Promise((r) => setTimeout(r, 1_200));
    expect(a.provider.wsconnected).toBe(true);
    a.text.insert(0, 'dropped ');
    await new Promise((r) => setTimeout(r, 300));
    expect((await durable(r1, docName)).doc.getText('body').toJSON()).toBe('kept');
  });

  it('a read-only connection whose write right returns writes again on the same socket (103, then sync step 1)', async () => {
    const docName = newDoc();
    const spaceId = docName.split(':')[1]!;
    hub.setRight(alice, docName, 'write');
    hub.setRight(reader, docName, 'read');
    const a = connect(r1, docName, await hub.tokenFor(alice));
    let readOnly = 0;
    let writable = 0;
    // On the other replica: the re-check and the re-sync happen where the connection is.
    const b = connect(r2, docName, await hub.tokenFor(reader), {
      onReadOnly: () => (readOnly += 1),
      onWritable: () => (writable += 1),
    });
    await Promise.all([synced(a.provider), synced(b.provider)]);
    expect(readOnly).toBe(1);
    a.text.insert(0, 'base');
    await until(() => expect(b.text.toJSON()).toBe('base'));
    // Typed while read-only: dropped by collab, kept by the stock client.
    b.text.insert(4, ' kept-while-read-only');
    await new Promise((r) => setTimeout(r, 200));
    expect((await durable(r1, docName)).doc.getText('body').toJSON()).toBe('base');
    const socket = b.provider.ws;

    hub.setRight(reader, docName, 'write');
    const t0 = Date.now();
    await hub.publish(spacesEvents.docAccessChanged, { spaceId, kind: 'proposal' });
    await until(() => expect(writable).toBe(1), 1_000);
    expect(Date.now() - t0).toBeLessThan(1_000);
    // The same socket: no reconnect; its client's answer to the server's step 1 carried what the
    // doc lacked, and its next edits (which build on it) are applied too.
    b.text.insert(b.text.length, ' and-after');
    const expected = 'base kept-while-read-only and-after';
    await until(async () => {
      expect((await durable(r1, docName)).doc.getText('body').toJSON()).toBe(expected);
      expect(a.text.toJSON()).toBe(expected);
    });
    expect(b.provider.ws).toBe(socket);
    expect(readOnly).toBe(1);

    // Down and up again through comment: 102, then 103 once writing returns.
    let commentOnly = 0;
    b.provider.messageHandlers[collabMessageTypes.commentOnly] = () => (commentOnly += 1);
    hub.setRight(reader, docName, 'comment');
    await hub.publish(spacesEvents.docAccessChanged, { spaceId, kind: 'proposal' });
    await until(() => expect(commentOnly).toBe(1), 1_000);
    hub.setRight(reader, docName, 'write');
    await hub.publish(spacesEvents.docAccessChanged, { spaceId, kind: 'proposal' });
    await until(() => expect(writable).toBe(2), 1_000);
    expect(b.provider.ws).toBe(socket);
  });

  it('sends its own message types (100–103) only to clients that asked with caps=agora', async () => {
    const docName = newDoc();
    hub.setRight(alice, docName, 'write');
    hub.setRight(reader, docName, 'read');
    const update = (() => {
      const d = new Y.Doc();
      const out: Uint8Array[] = [];
      d.on('update', (u: Uint8Array) => out.push(u));
      d.getText('body').insert(0, 'plain');
      return out[0]!;
    })();
    const base = `${r1.wsBase}/collab/${docName}?token=`;
    // A writer without caps: its update is applied, but no 101 comes back.
    const writer = raw(`${base}${await hub.tokenFor(alice)}`, (ws) => {
      ws.send(frame(0, 0, Y.encodeStateVector(new Y.Doc())));
      ws.send(frame(0, 2, update));
    });
    // A reader without caps: synced, never told 100.
    const readOnly = raw(`${base}${await hub.tokenFor(reader)}`, (ws) =>
      ws.send(frame(0, 0, Y.encodeStateVector(new Y.Doc()))),
    );
    await until(async () =>
      expect((await durable(r1, docName)).doc.getText('body').toJSON()).toBe('plain'),
    );
    await new Promise((r) => setTimeout(r, 200));
    // Close both from the server side by dropping their rights; then read what each received.
    hub.setRight(alice, docName, 'none');
    hub.setRight(reader, docName, 'none');
    await hub.publish(spacesEvents.docAccessChanged, {
      spaceId: docName.split(':')[1]!,
      kind: 'proposal',
    });
    for (const got of [await writer, await readOnly]) {
      expect(got.code).toBe(collabCloseCodes.forbidden);
      expect(got.messages.map((m) => m[0]).filter((t) => t! >= 100)).toEqual([]);
      expect(got.messages.length).toBeGreaterThan(0);
    }
  });

  it('refuses with the contract codes: bad doc name 4400, no or bad token 4401, unknown doc 4403', async () => {
    const token = await hub.tokenFor(alice);
    expect((await raw(`${r1.wsBase}/collab/proposal:XYZ?token=${token}`)).code).toBe(4400);
    expect((await raw(`${r1.wsBase}/collab/secret:${hex(9)}?token=${token}`)).code).toBe(4400);
    expect((await raw(`${r1.wsBase}/collab/${newDoc()}`)).code).toBe(4401);
    expect((await raw(`${r1.wsBase}/collab/${newDoc()}?token=nonsense`)).code).toBe(4401);
    const expired = await hub.tokenFor(alice, { expired: true });
    expect((await raw(`${r1.wsBase}/collab/${newDoc()}?token=${expired}`)).code).toBe(4401);
    const unknown = await raw(`${r1.wsBase}/collab/${newDoc()}?token=${token}`);
    expect(unknown.code).toBe(4403);
    expect(unknown.reason).toMatch(/no right/);
  });

  it('closes only the offending connection: oversize 4413, flood 4429, malformed 4400', async () => {
    const docName = newDoc();
    hub.setRight(alice, docName, 'write');
    hub.setRight(bob, docName, 'write');
    const honest = connect(r1, docName, await hub.tokenFor(bob));
    await synced(honest.provider);
    const url = `${r1.wsBase}/collab/${docName}?token=${await hub.tokenFor(alice)}`;

    const big = await raw(url, (ws) => ws.send(frame(0, 2, new Uint8Array(70 * 1024))));
    expect(big.code).toBe(collabCloseCodes.tooLarge);

    const flood = await raw(url, (ws) => {
      const q = frame(collabMessageTypes.queryAwareness);
      for (let i = 0; i < 2_000; i += 1) ws.send(q);
    });
    expect(flood.code).toBe(collabCloseCodes.rateLimited);

    const garbage = [
      Uint8Array.of(0x80), // truncated varint
      Uint8Array.of(0, 2, 50, 1, 2), // length past the end
      frame(0, 2, Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8, 9)), // not a Yjs update
      frame(0, 9, Uint8Array.of()), // unknown sync step
      frame(42), // unknown message type
    ];
    for (const g of garbage) {
      const res = await raw(url, (ws) => ws.send(g));
      expect(res.code, `frame ${Buffer.from(g).toString('hex')}`).toBe(collabCloseCodes.badRequest);
    }
    honest.text.insert(0, 'still here');
    const check = connect(r2, docName, await hub.tokenFor(bob));
    await synced(check.provider);
    await until(() => expect(check.text.toJSON()).toBe('still here'));
    expect(honest.provider.wsconnected).toBe(true);
  });

  it('refuses an update that would grow the doc past COLLAB_MAX_DOC_BYTES with 4413', async () => {
    const small = await hub.startReplica({
      id: 'small-docs',
      env: { COLLAB_MAX_DOC_BYTES: String(64 * 1024) },
    });
    const docName = newDoc();
    hub.setRight(alice, docName, 'write');
    const a = connect(small, docName, await hub.tokenFor(alice));
    await synced(a.provider);
    const closed = closedWith(a.provider);
    for (let i = 0; i < 8; i += 1) a.text.insert(0, 'y'.repeat(10 * 1024));
    expect((await closed).code).toBe(collabCloseCodes.tooLarge);
  });

  it('unloads a doc once idle, and serves it again from the log', async () => {
    const docName = newDoc();
    hub.setRight(alice, docName, 'write');
    const a = connect(r1, docName, await hub.tokenFor(alice));
    await synced(a.provider);
    a.text.insert(0, 'survives unload');
    await until(async () =>
      expect((await durable(r1, docName)).doc.getText('body').toJSON()).toBe('survives unload'),
    );
    a.provider.destroy();
    const registry = r1.service!.app.get(DocRegistry);
    await until(() => expect(registry.peek(docName)).toBeNull(), 3_000);
    const again = connect(r2, docName, await hub.tokenFor(alice));
    await synced(again.provider);
    await until(() => expect(again.text.toJSON()).toBe('survives unload'));
  });
  it("carries awareness across replicas and removes a closed connection's states everywhere", async () => {
    const docName = newDoc();
    hub.setRight(alice, docName, 'write');
    hub.setRight(bob, docName, 'write');
    const a = connect(r1, docName, await hub.tokenFor(alice));
    const b = connect(r2, docName, await hub.tokenFor(bob));
    await Promise.all([synced(a.provider), synced(b.provider)]);
    a.provider.awareness.setLocalStateField('user', { name: 'Alice' });
    await until(() =>
      expect(b.provider.awareness.getStates().get(a.doc.clientID)).toEqual({
        user: { name: 'Alice' },
        memberId: alice,
      }),
    );
    // The socket dies without a goodbye: the server removes its states and tells the other replica.
    a.provider.shouldConnect = false;
    (a.provider.ws as unknown as WebSocket).terminate();
    await until(
      () => expect(b.provider.awareness.getStates().has(a.doc.clientID)).toBe(false),
      2_000,
    );
  });

  it("refuses awareness written for another member's client id: nobody moves or removes a cursor not theirs", async () => {
    const docName = newDoc();
    hub.setRight(alice, docName, 'write');
    hub.setRight(bob, docName, 'write');
    const a = connect(r1, docName, await hub.tokenFor(alice));
    const b = connect(r2, docName, await hub.tokenFor(bob));
    const watcher = connect(r1, docName, await hub.tokenFor(bob));
    await Promise.all([synced(a.provider), synced(b.provider), synced(watcher.provider)]);
    a.provider.awareness.setLocalStateField('user', { name: 'Alice' });
    await until(() =>
      expect(watcher.provider.awareness.getStates().get(a.doc.clientID)).toMatchObject({
        memberId: alice,
      }),
    );
    // Bob's connection forges Alice's client id: first a rename, then a removal, at higher clocks.
    const forger = new awarenessProtocol.Awareness(new Y.Doc());
    forger.states.set(a.doc.clientID, { user: { name: 'Mallory' } });
    forger.meta.set(a.doc.clientID, { clock: 1_000, lastUpdated: Date.now() });
    const rename = awarenessProtocol.encodeAwarenessUpdate(forger, [a.doc.clientID]);
    forger.states.delete(a.doc.clientID);
    forger.meta.set(a.doc.clientID, { clock: 1_001, lastUpdated: Date.now() });
    const removal = awarenessProtocol.encodeAwarenessUpdate(forger, [a.doc.clientID]);
    forger.destroy();
    for (const update of [rename, removal]) {
      const e = encoding.createEncoder();
      encoding.writeVarUint(e, 1); // awareness
      encoding.writeVarUint8Array(e, update);
      (b.provider.ws as unknown as WebSocket).send(encoding.toUint8Array(e));
    }
    // Bob's own state, sent after the forgeries on the same socket, arrives: so they were read.
    b.provider.awareness.setLocalStateField('user', { name: 'Bob' });
    await until(() =>
      expect(watcher.provider.awareness.getStates().get(b.doc.clientID)).toMatchObject({
        user: { name: 'Bob' },
        memberId: bob,
      }),
    );
    expect(watcher.provider.awareness.getStates().get(a.doc.clientID)).toEqual({
      user: { name: 'Alice' },
      memberId: alice,
    });
    expect(b.provider.wsconnected).toBe(true);
  });

  it('caps connections per member with 4429', async () => {
    const capped = await hub.startReplica({
      id: 'capped',
      env: { COLLAB_MAX_CONNECTIONS_PER_MEMBER: '2' },
    });
    const docName = newDoc();
    hub.setRight(alice, docName, 'write');
    const token = await hub.tokenFor(alice);
    const first = connect(capped, docName, token);
    const second = connect(capped, docName, token);
    await Promise.all([synced(first.provider), synced(second.provider)]);
    const third = await raw(`${capped.wsBase}/collab/${docName}?token=${token}`);
    expect(third.code).toBe(collabCloseCodes.rateLimited);
    first.provider.destroy();
    await until(async () => {
      const again = connect(capped, docName, token);
      try {
        await Promise.race([
          synced(again.provider),
          new Promise((_, reject) => setTimeout(() => reject(new Error('not synced')), 500)),
        ]);
      } finally {
        again.provider.destroy();
      }
    });
  });

  it('on shutdown flushes what it accepted, then closes every socket with 4503', async () => {
    // A long batch wait: the edit is still pending when the replica is told to stop.
    const leaving = await hub.startReplica({ id: 'leaving', env: { COLLAB_BATCH_MS: '1000' } });
    const docName = newDoc();
    hub.setRight(alice, docName, 'write');
    const a = connect(leaving, docName, await hub.tokenFor(alice));
    await synced(a.provider);
    const closes: number[] = [];
    a.provider.on('connection-close', (e) => {
      if (e) closes.push(e.code);
    });
    a.text.insert(0, 'last words');
    await new Promise((r) => setTimeout(r, 50));
    expect((await durable(r1, docName)).doc.getText('body').toJSON()).toBe('');
    await leaving.stop();
    a.provider.destroy();
    expect(closes[0]).toBe(collabCloseCodes.shuttingDown);
    expect((await durable(r1, docName)).doc.getText('body').toJSON()).toBe('last words');
  });
});
