// Collab under faults (issue 9, Proof): two collab replicas as child processes behind a round-robin
// proxy, one real nats-server (JetStream), the embedded store, a stand-in spaces, stock y-websocket
// clients typing edits that name themselves. Whatever any client saw acknowledged (its 101 counts,
// or an update the server sent it) must be in the final state exactly once, after a replica is
// killed with SIGKILL and after nats-server restarts, while clients keep typing.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  auditText,
  keepTyping,
  seededRandom,
  trackedClient,
  type TrackedClient,
} from '../support/collab-clients.js';
import { startRoundRobinProxy, type RoundRobinProxy } from '../support/round-robin-proxy.js';
import { startCollabHub, until, type CollabHub, type CollabReplica } from './collab-fixture.js';

const hex = (n: number) => n.toString(16).padStart(24, '0');
let docCounter = 0;
const newDoc = () => `proposal:${hex(0xfa0000 + (docCounter += 1))}`;
const member = (i: number) => hex(0x100 + i);
const seed = Number(process.env.COLLAB_FAULTS_SEED ?? Date.now() % 100_000);

let hub: CollabHub;
let proxy: RoundRobinProxy;
let clients: TrackedClient[] = [];

beforeAll(async () => {
  hub = await startCollabHub('collab-faults', { replicas: 0 });
  await hub.startReplica({ process: true });
  await hub.startReplica({ process: true });
  proxy = await startRoundRobinProxy(hub.replicas.map((r) => r.port));
});

afterEach(() => {
  for (const c of clients) c.destroy();
  clients = [];
});

afterAll(async () => {
  await proxy?.close();
  await hub?.stop();
});

/** Live replicas (not killed), for the proxy. */
function live(): CollabReplica[] {
  return hub.replicas.filter((r) => r.child?.exitCode === null && r.child.signalCode === null);
}

/**
 * Opens clients one after the other through the proxy, each synced before the next, so round robin
 * places them in turn: 0 → first live replica, 1 → second, 2 → first, …
 */
async function openClients(
  docName: string,
  specs: { name: string; right: 'write' | 'read' }[],
): Promise<TrackedClient[]> {
  const random = seededRandom(seed);
  const out: TrackedClient[] = [];
  // Round robin starts over at the first live replica.
  proxy.setBackends(live().map((r) => r.port));
  for (const [i, spec] of specs.entries()) {
    const id = member(docCounter * 16 + i);
    hub.setRight(id, docName, spec.right);
    const c = trackedClient(proxy.wsBase, docName, await hub.tokenFor(id), spec.name, random);
    clients.push(c);
    await c.synced();
    out.push(c);
  }
  return out;
}

/** Every client holds the same text, and every live writer's edits are in it. */
async function converged(group: TrackedClient[], timeoutMs = 30_000): Promise<string> {
  return until(() => {
    const text = group[0]!.text.toJSON();
    for (const c of group) {
      expect(c.provider.synced, `${c.name} synced`).toBe(true);
      expect(c.text.toJSON(), `${c.name} = ${group[0]!.name}`).toBe(text);
      expect(auditText(text, c.written).missing, `${c.name}'s edits`).toEqual([]);
    }
    return text;
  }, timeoutMs);
}

/** What a replica that never saw the doc serves (its snapshot + log tail, nothing live). */
async function freshLoad(docName: string): Promise<{ text: string; state: Uint8Array }> {
  const replica = await hub.startReplica({ process: true });
  const id = member(0xff);
  hub.setRight(id, docName, 'read');
  const c = trackedClient(replica.wsBase, docName, await hub.tokenFor(id), 'fresh');
  try {
    await c.synced();
    return { text: c.text.toJSON(), state: Y.encodeStateAsUpdate(c.doc) };
  } finally {
    c.destroy();
    await replica.stop();
  }
}

/** Everything any client saw acknowledged: writers' 101-counted updates, all updates received. */
function acknowledged(group: TrackedClient[], extra: Iterable<string> = []): Set<string> {
  const out = new Set<string>(extra);
  for (const c of group) {
    for (const t of c.acked()) out.add(t);
    for (const t of c.seen) out.add(t);
  }
  return out;
}

function ackedCount(c: TrackedClient): number {
  return c.acked().size;
}

describe(`collab faults (seed ${seed})`, () => {
  it('two clients on different replicas converge; a late joiner gets the full state', async () => {
    const docName = newDoc();
    const [a, b] = await openClients(docName, [
      { name: 'a', right: 'write' },
      { name: 'b', right: 'write' },
    ]);
    const [r1, r2] = hub.replicas as [CollabReplica, CollabReplica];
    expect(proxy.openTo(r1.port)).toBe(1);
    expect(proxy.openTo(r2.port)).toBe(1);
    for (let i = 0; i < 100; i += 1) (i % 2 ? a! : b!).edit();
    const text = await converged([a!, b!]);
    expect(text.length).toBe(100 * '[a-00000]'.length);
    const [late] = await openClients(docName, [{ name: 'late', right: 'read' }]);
    expect(late!.text.toJSON()).toBe(text);
    // Same content, not just same text: the late joiner's state re-encodes identically.
    expect(Y.encodeStateVector(late!.doc)).toEqual(Y.encodeStateVector(a!.doc));
    expect(Y.encodeStateAsUpdate(late!.doc)).toEqual(Y.encodeStateAsUpdate(a!.doc));
  });

  it('kill -9 of a replica mid-edit: its clients move to the other, no acknowledged edit is lost', async () => {
    const docName = newDoc();
    const [r1, r2] = hub.replicas as [CollabReplica, CollabReplica];
    // 0,2,4 land on r1; 1,3,5 on r2 (the one killed).
    const group = await openClients(docName, [
      { name: 'wa', right: 'write' },
      { name: 'wb', right: 'write' },
      { name: 'wc', right: 'write' },
      { name: 'wd', right: 'write' },
      { name: 'ra', right: 'read' },
      { name: 'rb', right: 'read' },
    ]);
    const [wa, wb, wc, wd, ra, rb] = group;
    let wdAcked: Set<string> | undefined;
    expect(proxy.openTo(r1.port)).toBe(3);
    expect(proxy.openTo(r2.port)).toBe(3);
    const stopTyping = keepTyping([wa!, wb!, wc!], 12);
    const stopWd = keepTyping([wd!], 12);
    try {
      await until(() => {
        for (const w of [wa!, wb!, wc!, wd!]) expect(ackedCount(w)).toBeGreaterThan(30);
      });
      // wd's tab dies with its replica: it never resends, so only what was durable can survive.
      wd!.provider.shouldConnect = false;
      await r2.kill();
      stopWd();
      await until(() => expect(wd!.provider.wsconnected).toBe(false));
      wdAcked = wd!.acked();
      expect(wdAcked.size).toBeGreaterThan(30);
      // The others on r2 reconnect through the proxy and land on r1.
      await until(() => {
        expect(proxy.openTo(r2.port)).toBe(0);
        expect(proxy.openTo(r1.port)).toBe(5);
        for (const c of [wb!, rb!]) expect(c.provider.synced).toBe(true);
      }, 15_000);
      expect(wb!.connections.length).toBe(2);
      // Editing goes on on r1, moved writer included.
      const before = ackedCount(wb!);
      await until(() => expect(ackedCount(wb!)).toBeGreaterThan(before + 30), 15_000);
    } finally {
      stopTyping();
      stopWd();
    }
    const survivors = [wa!, wb!, wc!, ra!, rb!];
    const text = await converged(survivors);
    const expected = acknowledged(group, wdAcked ?? []);
    const audit = auditText(text, expected);
    expect(audit.missing).toEqual([]);
    expect(audit.duplicated).toEqual([]);
    const fresh = await freshLoad(docName);
    expect(fresh.text).toBe(text);
    expect(auditText(fresh.text, expected)).toEqual({ missing: [], duplicated: [] });
    const lost = auditText(text, wd!.written).missing.length;
    console.info(
      `collab kill -9: ${expected.size} acknowledged edits all kept; the killed tab wrote ` +
        `${wd!.written.length}, ${wdAcked.size} acknowledged, ${lost} unacknowledged (in flight at the kill) lost`,
    );
    // Bring r2 back for the next test (a new process on a new port).
    hub.replicas.splice(hub.replicas.indexOf(r2), 1);
    await hub.startReplica({ process: true });
  }, 90_000);

  for (const how of ['restart', 'kill -9'] as const) {
    it(`nats-server ${how} mid-edit: editing goes on, no acknowledged edit is lost`, async () => {
      const docName = newDoc();
      const group = await openClients(docName, [
        { name: 'na', right: 'write' },
        { name: 'nb', right: 'write' },
        { name: 'nc', right: 'write' },
        { name: 'nd', right: 'write' },
        { name: 'nr', right: 'read' },
        { name: 'ns', right: 'read' },
      ]);
      const writers = group.slice(0, 4);
      const stopTyping = keepTyping(writers, 12);
      try {
        await until(() => {
          for (const w of writers) expect(ackedCount(w)).toBeGreaterThan(30);
        });
        const down = Date.now();
        if (how === 'kill -9') await hub.nats.kill();
        await hub.nats.restart();
        const up = Date.now();
        const after = writers.map(ackedCount);
        await until(() => expect(ackedCount(writers[0]!)).toBeGreaterThan(after[0]!), 40_000);
        const firstAck = Date.now();
        // Same sockets (collab kept them open), new edits acknowledged again, on both replicas.
        await until(() => {
          writers.forEach((w, i) => expect(ackedCount(w)).toBeGreaterThan(after[i]! + 30));
        }, 40_000);
        console.info(
          `collab nats-server ${how}: down ${up - down} ms; after it was back, first new ` +
            `acknowledgement ${firstAck - up} ms, every writer 30 more ${Date.now() - up} ms`,
        );
        for (const c of group) expect(c.connections.length).toBe(1);
      } finally {
        stopTyping();
      }
      const text = await converged(group, 40_000);
      const expected = acknowledged(group);
      expect(auditText(text, expected)).toEqual({ missing: [], duplicated: [] });
      const fresh = await freshLoad(docName);
      expect(fresh.text).toBe(text);
    }, 90_000);
  }
});
