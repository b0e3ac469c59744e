// Benchmark (d), issue 9: cold load of a doc holding the whole editing trace. The trace is written
// into a doc (each edit its own update) until every update is durable; then every replica is
// killed (SIGKILL) and started again, so nothing is in memory, and a new client connects: the
// figure is the time from its connect until it is synced and holds the final text (printed apart:
// until the server's whole answer arrived, and the client's apply of it). Compacted: the
// compactor has merged the log into a snapshot first; not compacted: the compactor is off and the
// doc is the log tail only. Ours only: the peers keep docs in memory and have nothing to load (the
// late-join figure of collab-trace.load.ts is their nearest comparable).
import { existsSync } from 'node:fs';
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  collabEntry,
  pinLoadGenerator,
  startAgora,
  type BenchServer,
} from './support/collab-servers.js';
import { loadEditingTrace, TRACE_TEXT } from './support/editing-trace.js';
import { fmt, summarize, table } from './support/stats.js';
import { writeTrace } from './support/trace-writer.js';
import { YClient } from './support/y-client.js';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import WebSocket from 'ws';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';

const LOADS = Number(process.env.COLD_LOADS ?? 3);

interface Row {
  variant: string;
  snapshotBytes: number | null;
  p50: number;
  max: number;
  /** Connect → the whole state received, p50 (the server's part of `p50`). */
  receivedP50: number;
  /** The client's own apply of it, p50. */
  applyP50: number;
  /** A second client right after the cold one: the doc is in memory by then. */
  warmP50: number;
}

function rowOf(variant: string, snapshotBytes: number | null, cold: Load[], warm: Load[]): Row {
  const s = summarize(cold.map((l) => l.total));
  return {
    variant,
    snapshotBytes,
    p50: s.p50,
    max: s.max,
    receivedP50: summarize(cold.map((l) => l.received)).p50,
    applyP50: summarize(cold.map((l) => l.apply)).p50,
    warmP50: summarize(warm.map((l) => l.total)).p50,
  };
}

/** Writes the trace into a new doc and waits until the server says all of it is durable. */
async function fill(server: BenchServer): Promise<string> {
  const trace = loadEditingTrace();
  const docName = server.docName();
  const writer = new YClient(server.endpoint(0, await server.params()), docName);
  await writer.connect();
  const durable = new Promise<void>((resolve) => {
    writer.onSavedUpTo = (count) => {
      if (count >= trace.updates.length) resolve();
    };
  });
  await writeTrace(writer, trace.updates);
  await durable;
  await writer.close();
  return docName;
}

/** The snapshot head the compactor saved for `docName`, once its sequence stops moving. */
async function compacted(storeUrl: string, docName: string): Promise<number> {
  const client = new MongoClient(storeUrl);
  try {
    const heads = client
      .db('agora_collab')
      .collection<{ _id: string; seq: number; size: number }>('snapshots');
    let last: { seq: number; size: number } | null = null;
    const deadline = Date.now() + 180_000;
    while (Date.now() < deadline) {
      const head = await heads.findOne({ _id: docName });
      if (head && last && head.seq === last.seq) return head.size;
      last = head;
      await new Promise((r) => setTimeout(r, 2_000));
    }
    throw new Error(`no settled snapshot of ${docName} after 3 min`);
  } finally {
    await client.close();
  }
}

interface Load {
  /** Connect → synced with the final text (the figure). */
  total: number;
  /** Connect → the server's whole answer (sync step 2) received: the server's part. */
  received: number;
  /** The client's Y.applyUpdate of that answer. */
  apply: number;
}

/**
 * One client as a stock one behaves (its sync step 1 on open, the server's step 2 applied), on a
 * raw socket so the time the answer arrived is seen apart from the time the client applies it.
 */
async function loadOnce(server: BenchServer, docName: string): Promise<Load> {
  const { token } = await server.params();
  const t0 = performance.now();
  return new Promise<Load>((resolve, reject) => {
    const ws = new WebSocket(`${server.bases[0]}/collab/${docName}?token=${token}`);
    ws.binaryType = 'nodebuffer';
    ws.on('error', reject);
    ws.on('close', (code) => reject(new Error(`closed ${code} before sync`)));
    ws.on('open', () => {
      const e = encoding.createEncoder();
      encoding.writeVarUint(e, 0);
      syncProtocol.writeSyncStep1(e, new Y.Doc());
      ws.send(encoding.toUint8Array(e));
    });
    ws.on('message', (data: Buffer) => {
      const received = performance.now() - t0;
      const d = decoding.createDecoder(data);
      if (decoding.readVarUint(d) !== 0 || decoding.readVarUint(d) !== 1) return;
      const doc = new Y.Doc();
      const a = performance.now();
      Y.applyUpdate(doc, decoding.readVarUint8Array(d));
      const apply = performance.now() - a;
      const total = performance.now() - t0;
      ws.removeAllListeners('close');
      ws.close();
      expect(doc.getText(TRACE_TEXT).toJSON()).toBe(loadEditingTrace().endContent);
      resolve({ total, received, apply });
    });
  });
}

async function coldLoads(
  server: BenchServer,
  docName: string,
): Promise<{ cold: Load[]; warm: Load[] }> {
  const cold: Load[] = [];
  const warm: Load[] = [];
  for (let i = 0; i < LOADS; i++) {
    await server.restartReplicas!();
    cold.push(await loadOnce(server, docName));
    warm.push(await loadOnce(server, docName));
  }
  return { cold, warm };
}

/** What applying the doc's whole state costs the client alone (part of every figure above). */
function clientApplyMs(): number {
  const trace = loadEditingTrace();
  const source = new Y.Doc();
  for (const u of trace.updates) Y.applyUpdate(source, u);
  const state = Y.encodeStateAsUpdate(source);
  const t0 = performance.now();
  Y.applyUpdate(new Y.Doc(), state);
  return performance.now() - t0;
}

describe('collab cold load', () => {
  const rows: Row[] = [];
  beforeAll(() => {
    pinLoadGenerator();
    loadEditingTrace();
  });
  afterAll(() => {
    const apply = clientApplyMs();
    console.log(
      `\ncold load of the whole trace (${LOADS} loads, each after every replica was killed and started again): connect until synced with the final text\n` +
        table(
          [
            'doc',
            'snapshot bytes',
            'cold p50 ms',
            'cold max ms',
            'state received p50 ms',
            'client apply p50 ms',
            'warm join p50 ms',
          ],
          rows.map((r) => [
            r.variant,
            r.snapshotBytes === null ? '–' : String(r.snapshotBytes),
            fmt(r.p50, 1),
            fmt(r.max, 1),
            fmt(r.receivedP50, 1),
            fmt(r.applyP50, 1),
            fmt(r.warmP50, 1),
          ]),
        ) +
        `\nthe client's own Y.applyUpdate of that state, in every figure: ${fmt(apply, 1)} ms`,
    );
  });

  const built = existsSync(collabEntry);
  if (!built)
    console.log(
      'cold load: not run — services/collab is not built (npm run build -w @agora/collab)',
    );

  it.skipIf(!built)('compacted (snapshot)', async () => {
    const server = await startAgora({
      replicas: 1,
      env: { COLLAB_COMPACT_IDLE_MS: '1000', COLLAB_COMPACT_POLL_MS: '250' },
    });
    try {
      const docName = await fill(server);
      const size = await compacted(server.storeUrl!, docName);
      const { cold, warm } = await coldLoads(server, docName);
      rows.push(rowOf('compacted (snapshot)', size, cold, warm));
    } finally {
      await server.stop();
    }
  });

  it.skipIf(!built)('not compacted (log tail only)', async () => {
    const server = await startAgora({ replicas: 1, env: { COLLAB_COMPACTOR: 'off' } });
    try {
      const docName = await fill(server);
      const { cold, warm } = await coldLoads(server, docName);
      rows.push(rowOf('log tail only', null, cold, warm));
    } finally {
      await server.stop();
    }
  });
});
