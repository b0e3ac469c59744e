// Fuzz (issue 9, Proof): for 30 s, raw `ws` clients throw random, truncated and oversized
// y-protocol frames at one collab replica (a child process) while honest stock clients on it and on
// a second replica keep editing the same doc. Each bad connection must be closed with a 44xx code
// and nothing else; the replica stays up, its memory does not run away, and the honest clients
// converge — and two clients joining either replica afterwards get the same state as the log.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as encoding from 'lib0/encoding';
import WebSocket from 'ws';
import * as Y from 'yjs';
import * as awarenessProtocol from 'y-protocols/awareness';
import { collabCloseCodes } from '@agora/proto';
import {
  auditText,
  keepTyping,
  seededRandom,
  trackedClient,
  type TrackedClient,
} from '../support/collab-clients.js';
import { startCollabHub, until, type CollabHub, type CollabReplica } from './collab-fixture.js';

const hex = (n: number) => n.toString(16).padStart(24, '0');
const docName = `board:${hex(0xf0220)}`;
const fuzzSeconds = Number(process.env.COLLAB_FUZZ_SECONDS ?? 30);
const seed = Number(process.env.COLLAB_FUZZ_SEED ?? Date.now() % 100_000);
const maxMessageBytes = 64 * 1024;
/** What ws itself reads before cutting a frame (the server's maxPayload: 4× the cap). */
const maxPayload = 4 * maxMessageBytes;

let hub: CollabHub;
let target: CollabReplica;
let other: CollabReplica;
const honest: TrackedClient[] = [];
/** The honest clients' converged text once the fuzz is over (the next test compares replicas). */
let fuzzedText: string | null = null;

beforeAll(async () => {
  hub = await startCollabHub('collab-fuzz', {
    replicas: 0,
    env: {
      COLLAB_MAX_MESSAGE_BYTES: String(maxMessageBytes),
      COLLAB_MAX_CONNECTIONS_PER_MEMBER: '64',
    },
  });
  target = await hub.startReplica({ process: true });
  other = await hub.startReplica({ process: true });
});

afterAll(async () => {
  for (const c of honest) c.destroy();
  await hub?.stop();
});

function rssBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) * 1024;
}

function frame(...parts: (number | Uint8Array)[]): Uint8Array {
  const e = encoding.createEncoder();
  for (const p of parts) {
    if (typeof p === 'number') encoding.writeVarUint(e, p);
    else encoding.writeVarUint8Array(e, p);
  }
  return encoding.toUint8Array(e);
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out;
}

/** The frame generators: each returns the frames one bad connection sends. */
function generators(random: () => number) {
  const int = (n: number) => Math.floor(random() * n);
  const bytes = (n: number) => Uint8Array.from({ length: n }, () => int(256));
  // Valid updates of a scratch doc (its own root, so the honest 'body' stays the honest clients').
  const scratch = new Y.Doc();
  const scratchUpdates: Uint8Array[] = [];
  scratch.on('update', (u: Uint8Array) => scratchUpdates.push(u));
  const validUpdate = (): Uint8Array => {
    const t = scratch.getText('fuzz');
    if (random() < 0.3 && t.length > 2) t.delete(int(t.length - 1), 1);
    else t.insert(int(t.length + 1), `fz${int(1_000)}`);
    return scratchUpdates[scratchUpdates.length - 1]!;
  };
  const freshUpdate = (): Uint8Array => {
    const d = new Y.Doc();
    d.getText('fuzz').insert(0, `fresh${int(1_000)}`);
    return Y.encodeStateAsUpdate(d);
  };
  const mutate = (u: Uint8Array): Uint8Array => {
    const m = Uint8Array.from(u);
    const flips = 1 + int(3);
    for (let i = 0; i < flips; i += 1) m[int(m.length)] = int(256);
    return m;
  };
  return {
    'random bytes': () => [bytes(int(300))],
    'type + garbage': () => {
      const type = [0, 1, 3][int(3)]!;
      return [
        concat(Uint8Array.of(type), type === 0 ? Uint8Array.of(int(3)) : bytes(0), bytes(int(64))),
      ];
    },
    'truncated varuint': () => {
      const prefix = [[], [0], [0, 2], [1], [0, 0]][int(5)]!;
      return [
        Uint8Array.from([...prefix, ...Array.from({ length: 1 + int(9) }, () => 0x80 | int(128))]),
      ];
    },
    'huge length prefix': () => {
      const prefix = [[0, 2], [0, 1], [0, 0], [1]][int(4)]!;
      const e = encoding.createEncoder();
      for (const b of prefix) encoding.writeVarUint(e, b);
      encoding.writeVarUint(e, 2 ** (20 + int(32)));
      return [concat(encoding.toUint8Array(e), bytes(int(20)))];
    },
    'oversized frame': () => [frame(0, 2, bytes(maxMessageBytes + 1 + int(maxMessageBytes)))],
    'truncated update': () => {
      // Half from a fresh doc (clock 0: its structs integrate at once, before the cut shows).
      const u = random() < 0.5 ? freshUpdate() : validUpdate();
      return [frame(0, 2, u.slice(0, int(u.length)))];
    },
    'mutated update': () => [frame(0, [1, 2][int(2)]!, mutate(validUpdate()))],
    'garbage awareness': () => {
      const e = encoding.createEncoder();
      encoding.writeVarUint(e, 1);
      encoding.writeVarUint(e, 1 + int(1_000_000));
      encoding.writeVarUint(e, int(10));
      encoding.writeVarString(e, ['{"user":', 'nul', '[1,2', '\u0000'][int(4)]!);
      return [frame(1, encoding.toUint8Array(e))];
    },
    'valid then bad': () => {
      const ok = awarenessProtocol.encodeAwarenessUpdate(
        new awarenessProtocol.Awareness(new Y.Doc()),
        [],
      );
      return [frame(3), frame(1, ok), bytes(1 + int(40))];
    },
  } satisfies Record<string, () => Uint8Array[]>;
}

/** A unknown message type: whatever the fuzz frames did, this closes the connection with 4400. */
const sentinel = frame(42);

interface Outcome {
  code: number;
  reason: string;
}

/** One bad connection: sends its frames then the sentinel; resolves with how it was closed. */
function badConnection(url: string, frames: Uint8Array[]): Promise<Outcome> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { maxPayload: 1024 * 1024 });
    const timer = setTimeout(() => {
      ws.terminate();
      resolve({ code: -1, reason: 'not closed within 10 s' });
    }, 10_000);
    // A big frame still being written when the server closes: the close frame tells the code.
    ws.on('error', () => undefined);
    ws.on('open', () => {
      for (const f of frames) ws.send(f);
      ws.send(sentinel);
    });
    ws.on('close', (code, reason) => {
      clearTimeout(timer);
      resolve({ code, reason: reason.toString() });
    });
  });
}

describe(`collab fuzz (seed ${seed}, ${fuzzSeconds} s)`, () => {
  it('survives random, truncated and oversized frames; honest clients converge', async () => {
    const random = seededRandom(seed);
    const writers = [hex(0xa1), hex(0xa2)];
    const readerId = hex(0xa3);
    for (const w of writers) hub.setRight(w, docName, 'write');
    hub.setRight(readerId, docName, 'read');
    // Bad connections come from writers (their frames reach Yjs) and from readers (dropped).
    const fuzzers = Array.from({ length: 8 }, (_, i) => hex(0xb0 + i));
    fuzzers.forEach((f, i) => hub.setRight(f, docName, i < 6 ? 'write' : 'read'));
    const tokens = await Promise.all(fuzzers.map((f) => hub.tokenFor(f)));

    const h1 = trackedClient(target.wsBase, docName, await hub.tokenFor(writers[0]!), 'ha', random);
    const h2 = trackedClient(other.wsBase, docName, await hub.tokenFor(writers[1]!), 'hb', random);
    const h3 = trackedClient(target.wsBase, docName, await hub.tokenFor(readerId), 'hr', random);
    honest.push(h1, h2, h3);
    await Promise.all(honest.map((c) => c.synced()));
    const stopTyping = keepTyping([h1, h2], 40);

    const gens = generators(random);
    const names = Object.keys(gens) as (keyof typeof gens)[];
    const stats = new Map<string, { sent: number; codes: Map<number, number> }>();
    const bad: string[] = [];
    const pid = target.child!.pid!;
    const rssBefore = rssBytes(pid);
    let rssWarm = 0;
    let rssMax = 0;
    const started = Date.now();
    const deadline = started + fuzzSeconds * 1_000;
    const worker = async (w: number): Promise<void> => {
      for (let i = 0; Date.now() < deadline; i += 1) {
        const name = names[Math.floor(random() * names.length)]!;
        const frames = gens[name]();
        const k = (w + i) % fuzzers.length;
        const url = `${target.wsBase}/collab/${docName}?token=${tokens[k]}`;
        const out = await badConnection(url, frames);
        let s = stats.get(name);
        if (!s) stats.set(name, (s = { sent: 0, codes: new Map() }));
        s.sent += 1;
        s.codes.set(out.code, (s.codes.get(out.code) ?? 0) + 1);
        if (out.code < 4400 || out.code > 4499)
          bad.push(
            `${name}: ${out.code} ${out.reason} (${Buffer.from(frames[0]!.slice(0, 24)).toString('hex')})`,
          );
        const rss = rssBytes(pid);
        rssMax = Math.max(rssMax, rss);
        if (rssWarm === 0 && Date.now() - started > 5_000) rssWarm = rss;
      }
    };
    try {
      await Promise.all([0, 1, 2].map(worker));
    } finally {
      stopTyping();
    }
    const rssAfter = rssBytes(pid);
    const total = [...stats.values()].reduce((n, s) => n + s.sent, 0);
    const summary = [...stats]
      .map(([n, s]) => `${n} ${s.sent} [${[...s.codes].map(([c, k]) => `${c}×${k}`).join(' ')}]`)
      .join('; ');
    console.info(
      `collab fuzz: ${total} bad connections in ${fuzzSeconds} s — ${summary}; ` +
        `replica RSS ${mb(rssBefore)} before, ${mb(rssWarm)} at 5 s, max ${mb(rssMax)}, ${mb(rssAfter)} after`,
    );

    expect(bad).toEqual([]);
    expect(total).toBeGreaterThan(fuzzSeconds * 10);
    for (const n of names) expect(stats.get(n)?.sent ?? 0, n).toBeGreaterThan(0);
    // The replica is up and answered throughout; its memory stays within bounds of its warm size.
    expect(target.child!.exitCode).toBeNull();
    expect((await fetch(`http://127.0.0.1:${target.port}/healthz`)).status).toBe(200);
    expect(rssAfter - rssWarm).toBeLessThan(100 * 1024 * 1024);

    // Honest clients were never closed, and converge.
    for (const c of honest) expect(c.connections.length, `${c.name} reconnected`).toBe(1);
    const text = await until(() => {
      const t = h1.text.toJSON();
      for (const c of honest) expect(c.text.toJSON()).toBe(t);
      expect(auditText(t, [...h1.written, ...h2.written])).toEqual({ missing: [], duplicated: [] });
      return t;
    }, 20_000);
    expect(h1.written.length).toBeGreaterThan(fuzzSeconds * 10);
    fuzzedText = text;
  }, 120_000);

  it('after the fuzz, both replicas serve the state of the log: what was refused left nothing', async () => {
    expect(fuzzedText).not.toBeNull();
    const text = fuzzedText!;
    const joinerId = hex(0xa4);
    hub.setRight(joinerId, docName, 'read');
    const j1 = trackedClient(target.wsBase, docName, await hub.tokenFor(joinerId), 'ja');
    const j2 = trackedClient(other.wsBase, docName, await hub.tokenFor(joinerId), 'jb');
    honest.push(j1, j2);
    await Promise.all([j1.synced(), j2.synced()]);
    const fresh = await hub.startReplica({ process: true });
    const j3 = trackedClient(fresh.wsBase, docName, await hub.tokenFor(joinerId), 'jc');
    honest.push(j3);
    await j3.synced();
    for (const j of [j1, j2, j3]) expect(j.text.toJSON()).toBe(text);
    // Client id → clock: a client only one replica knows is an edit the log never got.
    const logState = clocks(j3.doc);
    expect(clocks(j1.doc), 'fuzzed replica vs the log').toEqual(logState);
    expect(clocks(j2.doc), 'other replica vs the log').toEqual(logState);
  });

  it('a truncated update is refused with 4400, and the replica serves nothing the log lacks', async () => {
    const name = `proposal:${hex(0xf0221)}`;
    const writer = hex(0xc1);
    hub.setRight(writer, name, 'write');
    const watcher = trackedClient(target.wsBase, name, await hub.tokenFor(writer), 'wt');
    honest.push(watcher);
    await watcher.synced();
    // Yjs integrates an update's structs before it reads its delete set: cut the delete set off.
    const src = new Y.Doc();
    src.getText('body').insert(0, 'GHOST');
    const update = Y.encodeStateAsUpdate(src);
    const url = `${target.wsBase}/collab/${name}?token=${await hub.tokenFor(writer)}`;
    const out = await badConnection(url, [frame(0, 2, update.slice(0, update.length - 1))]);
    expect(out.code).toBe(collabCloseCodes.badRequest);
    // A joiner on the same replica and one on a replica that loads the doc from the log see the
    // same doc: the refused part is either gone or durable, never only in one replica's memory.
    const here = trackedClient(target.wsBase, name, await hub.tokenFor(writer), 'jt');
    const fromLog = trackedClient(other.wsBase, name, await hub.tokenFor(writer), 'jl');
    honest.push(here, fromLog);
    await Promise.all([here.synced(), fromLog.synced()]);
    expect(here.text.toJSON()).toBe(fromLog.text.toJSON());
    expect(clocks(here.doc)).toEqual(clocks(fromLog.doc));
    await until(() => expect(watcher.text.toJSON()).toBe(here.text.toJSON()));
  });

  it('a frame past what ws reads (4× the message cap) closes that connection', async () => {
    const writer = hex(0xc2);
    hub.setRight(writer, docName, 'write');
    const url = `${target.wsBase}/collab/${docName}?token=${await hub.tokenFor(writer)}`;
    const out = await badConnection(url, [frame(0, 2, new Uint8Array(maxPayload + 1))]);
    expect(out.code).toBe(collabCloseCodes.tooLarge);
  });
});

function mb(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

function clocks(doc: Y.Doc): Record<string, number> {
  return Object.fromEntries(Y.decodeStateVector(Y.encodeStateVector(doc)));
}
