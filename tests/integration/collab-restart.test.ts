// Stop and start the whole collab hub (issue 9, Proof): replicas, nats-server and the store go down
// and come back on the same JetStream and data directories; the doc is there — from its compacted
// snapshot in the store plus the log's tail. Once gracefully, once by kill -9 of every process
// while clients type, where every edit a client saw acknowledged must come back exactly once.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  auditText,
  keepTyping,
  tokensIn,
  trackedClient,
  type TrackedClient,
} from '../support/collab-clients.js';
import { withClient } from '../support/store.js';
import { startCollabHub, until, type CollabHub, type CollabReplica } from './collab-fixture.js';

const hex = (n: number) => n.toString(16).padStart(24, '0');
const writers = [hex(0xd1), hex(0xd2)];
const readerId = hex(0xd3);

let hub: CollabHub;
let clients: TrackedClient[] = [];

beforeAll(async () => {
  hub = await startCollabHub('collab-restart', {
    replicas: 0,
    // Compact early and often, so the doc lives in a snapshot and a tail when everything stops.
    env: {
      COLLAB_COMPACT_UPDATES: '40',
      COLLAB_COMPACT_POLL_MS: '200',
      COLLAB_COMPACT_IDLE_MS: '500',
    },
  });
});

afterEach(() => {
  for (const c of clients) c.destroy();
  clients = [];
});

afterAll(async () => {
  await hub?.stop();
});

async function startReplicas(): Promise<[CollabReplica, CollabReplica]> {
  return [await hub.startReplica({ process: true }), await hub.startReplica({ process: true })];
}

async function open(replica: CollabReplica, docName: string, who: string, name: string) {
  const c = trackedClient(replica.wsBase, docName, await hub.tokenFor(who), name);
  clients.push(c);
  await c.synced();
  return c;
}

function snapshotSeq(docName: string): Promise<number> {
  return withClient(hub.store, async (client) => {
    const head = await client
      .db('agora_collab')
      .collection<{ _id: string; seq: number }>('snapshots')
      .findOne({ _id: docName });
    return head?.seq ?? 0;
  });
}

/** Whatever the doc holds once the hub is back: read through a replica that just started. */
async function readBack(replica: CollabReplica, docName: string): Promise<string> {
  const c = await open(replica, docName, readerId, 'back');
  return c.text.toJSON();
}

describe('collab: stop and start everything', () => {
  it('graceful: the doc is there, from its snapshot and the log tail', async () => {
    const docName = `notes:${hex(0xe01)}`;
    for (const w of writers) hub.setRight(w, docName, 'write');
    hub.setRight(readerId, docName, 'read');
    const [r1, r2] = await startReplicas();
    const a = await open(r1, docName, writers[0]!, 'ga');
    const b = await open(r2, docName, writers[1]!, 'gb');
    const stopTyping = keepTyping([a, b], 10);
    try {
      await until(async () => expect(await snapshotSeq(docName)).toBeGreaterThan(0), 30_000);
      const compactedAt = a.written.length + b.written.length;
      await until(() =>
        expect(a.written.length + b.written.length).toBeGreaterThan(compactedAt + 20),
      );
    } finally {
      stopTyping();
    }
    const written = [...a.written, ...b.written];
    const text = await until(() => {
      const t = a.text.toJSON();
      expect(b.text.toJSON()).toBe(t);
      // Every edit acknowledged before anything stops: a graceful stop loses nothing.
      expect(a.acked().size).toBe(a.written.length);
      expect(b.acked().size).toBe(b.written.length);
      return t;
    }, 20_000);
    expect(auditText(text, written)).toEqual({ missing: [], duplicated: [] });
    a.destroy();
    b.destroy();

    await r1.stop();
    await r2.stop();
    await hub.store.kill('SIGTERM');
    await hub.nats.restart();
    await hub.store.restart();
    const [s1, s2] = await startReplicas();
    expect(await readBack(s1, docName)).toBe(text);
    expect(await readBack(s2, docName)).toBe(text);
    await s1.stop();
    await s2.stop();
  }, 120_000);

  it('kill -9 of every process mid-edit: every acknowledged edit comes back, once', async () => {
    const docName = `notes:${hex(0xe02)}`;
    for (const w of writers) hub.setRight(w, docName, 'write');
    hub.setRight(readerId, docName, 'read');
    const [r1, r2] = await startReplicas();
    const a = await open(r1, docName, writers[0]!, 'ka');
    const b = await open(r2, docName, writers[1]!, 'kb');
    const stopTyping = keepTyping([a, b], 10);
    try {
      await until(async () => {
        expect(await snapshotSeq(docName)).toBeGreaterThan(0);
        expect(a.acked().size).toBeGreaterThan(80);
        expect(b.acked().size).toBeGreaterThan(80);
      }, 30_000);
      // The tabs die with the hub: nothing is resent, only what was durable can come back.
      for (const c of [a, b]) c.provider.shouldConnect = false;
      await Promise.all([r1.kill(), r2.kill(), hub.nats.kill(), hub.store.kill('SIGKILL')]);
      await until(() => {
        for (const c of [a, b]) expect(c.provider.wsconnected).toBe(false);
      });
    } finally {
      stopTyping();
    }
    const acked = new Set([...a.acked(), ...b.acked(), ...a.seen, ...b.seen]);
    await hub.nats.restart();
    await hub.store.restart();
    const [s1, s2] = await startReplicas();
    const text = await readBack(s1, docName);
    expect(await readBack(s2, docName)).toBe(text);
    expect(auditText(text, acked)).toEqual({ missing: [], duplicated: [] });
    // Nothing appears that nobody wrote.
    const written = new Set([...a.written, ...b.written]);
    expect(tokensIn(text).filter((t) => !written.has(t))).toEqual([]);
    await s1.stop();
    await s2.stop();
  }, 120_000);
});
