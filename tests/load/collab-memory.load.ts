// Benchmark (c), issue 9: memory per open doc and per idle connection. After a full GC of every
// server process: the resident set (all server-side processes) at rest; with 1,000 docs open, one
// connection each and one small edit in each; then with 4,000 more idle connections spread over
// those docs (5,000 in all). Per idle connection = the second delta / 4,000; per open doc = (the
// first delta − 1,000 connections) / 1,000.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  benchTargets,
  pinLoadGenerator,
  ratio,
  startAgora,
  type BenchServer,
  type BenchTarget,
  collabNodeFlags,
} from './support/collab-servers.js';
import { rssBytes } from './support/proc-stats.js';
import { fmt, table } from './support/stats.js';
import { YClient } from './support/y-client.js';

const DOCS = Number(process.env.MEMORY_DOCS ?? 1_000);
const CONNECTIONS = Number(process.env.MEMORY_CONNECTIONS ?? 5_000);
/** Connections opened at once (each must sync before the next group). */
const GROUP = 50;
/**
 * Ours runs without its compactor here (a deployment may run it in a worker process of its own,
 * `COLLAB_COMPACTOR=off` on the replicas): with it on, its first pass over the 1,000 docs (30 s
 * after their edit, or 1 s with `COLLAB_COMPACT_IDLE_MS=1000`) lands in whichever step is running,
 * and its heap high-water — kept committed after the GC — is counted there: the figures then say
 * when the compactor ran (16.3 KB per idle connection when it ran while the connections opened;
 * −1.7 KB per connection and 125 KB per doc when it ran while the docs were counted), not what a
 * doc or a connection holds.
 */
const OURS_ENV = {
  COLLAB_COMPACTOR: 'off',
  // Prints the heap in use after each full GC (the replicas' column "heap KB / idle conn"), on top
  // of the replicas' own node flags (collab's `agora.nodeFlags`, or COLLAB_BENCH_NODE_FLAGS).
  NODE_OPTIONS: `${collabNodeFlags()} --import ${new URL('./support/servers/heap-on-signal.mjs', import.meta.url).href}`,
};

/** Ours: the replicas' V8 heap in use (+ external) after the last GC, summed; null for peers. */
function replicasHeap(server: BenchServer): number | null {
  if (server.name !== 'agora') return null;
  let total = 0;
  for (const section of server.logs().split(/^(?=collab-\d+ \()/m)) {
    const all = [...section.matchAll(/HEAP_USED (\d+)/g)];
    if (all.length > 0) total += Number(all.at(-1)![1]);
  }
  return total;
}

function targets(): BenchTarget[] {
  return benchTargets().map((t) =>
    t.key.startsWith('agora-')
      ? { ...t, start: () => startAgora({ replicas: Number(t.key.slice(6)), env: OURS_ENV }) }
      : t,
  );
}

interface Row {
  server: string;
  baseMb: number;
  docsMb: number;
  allMb: number;
  perConnKb: number;
  perDocKb: number;
  /** The same per idle connection, counting only the processes that hold docs (ours: replicas). */
  perConnDocProcsKb: number;
  /** Ours: the replicas' heap in use per idle connection (what they keep, not what they commit). */
  perConnHeapKb: number | null;
}

async function openAll(clients: YClient[]): Promise<void> {
  for (let i = 0; i < clients.length; i += GROUP)
    await Promise.all(clients.slice(i, i + GROUP).map((c) => c.connect()));
}

async function measure(server: BenchServer): Promise<Row> {
  let docProcs = 0;
  let heap: number | null = null;
  const rss = async () => {
    await server.gc();
    // The heap line comes 200 ms after the GC; gc() waited 1.5 s.
    heap = replicasHeap(server);
    docProcs = rssBytes(server.docPids());
    return rssBytes(server.pids());
  };
  const base = await rss();
  const names = Array.from({ length: DOCS }, () => server.docName());
  const first: YClient[] = [];
  for (let i = 0; i < DOCS; i++)
    first.push(new YClient(server.endpoint(i, await server.params()), names[i]!));
  await openAll(first);
  // One small edit per doc: an open doc holds content, not only an empty Y.Doc.
  for (const c of first) {
    c.doc.on('update', (u: Uint8Array, origin: unknown) => {
      if (origin !== c) c.sendUpdate(u);
    });
    c.doc.getText('body').insert(0, 'Agora notes');
  }
  await new Promise((r) => setTimeout(r, 2_000));
  const withDocs = await rss();
  const docProcsWithDocs = docProcs;
  const heapWithDocs = heap as number | null;
  const idle: YClient[] = [];
  for (let i = DOCS; i < CONNECTIONS; i++)
    idle.push(
      new YClient(server.endpoint(i, await server.params()), names[i % DOCS]!, { keepDoc: false }),
    );
  await openAll(idle);
  await new Promise((r) => setTimeout(r, 2_000));
  const all = await rss();
  const docProcsAll = docProcs;
  const heapAll = heap as number | null;
  const open = [...first, ...idle];
  expect(open.filter((c) => c.closed !== null).map((c) => c.closed)).toEqual([]);
  for (let i = 0; i < open.length; i += 500)
    await Promise.all(open.slice(i, i + 500).map((c) => c.close()));
  const perConn = (all - withDocs) / (CONNECTIONS - DOCS);
  const perDoc = (withDocs - base - DOCS * perConn) / DOCS;
  return {
    server: server.label,
    baseMb: base / 2 ** 20,
    docsMb: withDocs / 2 ** 20,
    allMb: all / 2 ** 20,
    perConnKb: perConn / 1024,
    perDocKb: perDoc / 1024,
    perConnDocProcsKb: (docProcsAll - docProcsWithDocs) / (CONNECTIONS - DOCS) / 1024,
    perConnHeapKb:
      heapAll === null || heapWithDocs === null
        ? null
        : (heapAll - heapWithDocs) / (CONNECTIONS - DOCS) / 1024,
  };
}

describe('collab memory', () => {
  const rows: Row[] = [];
  beforeAll(() => pinLoadGenerator());
  afterAll(() => {
    const ref = rows.find((r) => r.server.startsWith('@y/websocket-server'));
    const hp = rows.find((r) => r.server.startsWith('@hocuspocus'));
    console.log(
      `\nmemory: RSS of every server-side process after a full GC; ${DOCS} docs (one connection and one edit each), then ${CONNECTIONS} connections\n` +
        table(
          [
            'server',
            'rest MB',
            `${DOCS} docs MB`,
            `${CONNECTIONS} conns MB`,
            'KB/idle conn',
            'vs ref',
            'vs hp',
            'KB/open doc',
            'vs ref',
            'vs hp',
            'KB/idle conn, doc processes only',
            'heap KB/idle conn, replicas',
          ],
          rows.map((r) => [
            r.server,
            fmt(r.baseMb, 1),
            fmt(r.docsMb, 1),
            fmt(r.allMb, 1),
            fmt(r.perConnKb, 1),
            ratio(r.perConnKb, ref?.perConnKb),
            ratio(r.perConnKb, hp?.perConnKb),
            fmt(r.perDocKb, 1),
            ratio(r.perDocKb, ref?.perDocKb),
            ratio(r.perDocKb, hp?.perDocKb),
            fmt(r.perConnDocProcsKb, 1),
            r.perConnHeapKb === null ? '–' : fmt(r.perConnHeapKb, 1),
          ]),
        ),
    );
  });

  for (const target of targets()) {
    it.skipIf(target.unavailable !== undefined)(
      `${target.key}: ${DOCS} docs, ${CONNECTIONS} connections`,
      async () => {
        const server = await target.start();
        try {
          rows.push(await measure(server));
        } finally {
          await server.stop();
        }
      },
    );
    if (target.unavailable) console.log(`${target.key}: not run — ${target.unavailable}`);
  }
});
