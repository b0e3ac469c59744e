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
  type BenchServer,
} from './support/collab-servers.js';
import { rssBytes } from './support/proc-stats.js';
import { fmt, table } from './support/stats.js';
import { YClient } from './support/y-client.js';

const DOCS = Number(process.env.MEMORY_DOCS ?? 1_000);
const CONNECTIONS = Number(process.env.MEMORY_CONNECTIONS ?? 5_000);
/** Connections opened at once (each must sync before the next group). */
const GROUP = 50;

interface Row {
  server: string;
  baseMb: number;
  docsMb: number;
  allMb: number;
  perConnKb: number;
  perDocKb: number;
  /** The same per idle connection, counting only the processes that hold docs (ours: replicas). */
  perConnDocProcsKb: number;
}

async function openAll(clients: YClient[]): Promise<void> {
  for (let i = 0; i < clients.length; i += GROUP)
    await Promise.all(clients.slice(i, i + GROUP).map((c) => c.connect()));
}

async function measure(server: BenchServer): Promise<Row> {
  let docProcs = 0;
  const rss = async () => {
    await server.gc();
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
  const idle: YClient[] = [];
  for (let i = DOCS; i < CONNECTIONS; i++)
    idle.push(
      new YClient(server.endpoint(i, await server.params()), names[i % DOCS]!, { keepDoc: false }),
    );
  await openAll(idle);
  await new Promise((r) => setTimeout(r, 2_000));
  const all = await rss();
  const docProcsAll = docProcs;
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
          ]),
        ),
    );
  });

  for (const target of benchTargets()) {
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
