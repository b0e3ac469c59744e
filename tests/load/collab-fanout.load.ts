// Benchmark (a), issue 9: fan-out latency. In rooms of 10, 50 and 200 clients on one doc, one
// writer sends an update every FANOUT_INTERVAL_MS carrying its send time; every other client
// records the time until it has applied it. Same load generator, servers one after another; ours
// with its replicas taking the clients in turn (the writer on the first).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  benchTargets,
  pinLoadGenerator,
  ratio,
  type BenchServer,
} from './support/collab-servers.js';
import { fmt, summarize, table } from './support/stats.js';
import { YClient } from './support/y-client.js';

const ROOMS = [10, 50, 200];
const UPDATES = Number(process.env.FANOUT_UPDATES ?? 200);
const WARMUP = 20;
const INTERVAL_MS = Number(process.env.FANOUT_INTERVAL_MS ?? 50);

interface Row {
  server: string;
  room: number;
  samples: number;
  p50: number;
  p99: number;
}

async function room(server: BenchServer, size: number): Promise<Row> {
  const docName = server.docName();
  const clients: YClient[] = [];
  for (let i = 0; i < size; i++)
    clients.push(new YClient(server.endpoint(i, await server.params()), docName));
  // Connect in small groups: 200 at once is a connection storm, not fan-out.
  for (let i = 0; i < size; i += 20)
    await Promise.all(clients.slice(i, i + 20).map((c) => c.connect()));
  const latencies: number[] = [];
  // A server may merge several updates into one message (ours relays a durable batch at once):
  // every mark new to a receiver counts, each against its own send time.
  const counted = new Map<YClient, number>();
  for (const c of clients.slice(1)) {
    const marks = c.doc.getArray<number>('fanout');
    counted.set(c, 0);
    c.onUpdate = (at) => {
      for (let i = counted.get(c)!; i < marks.length; i++)
        if (i >= WARMUP) latencies.push(at - marks.get(i));
      counted.set(c, marks.length);
    };
  }
  const seen = () => [...counted.values()].reduce((a, b) => a + b, 0);
  const writer = clients[0]!;
  const marks = writer.doc.getArray<number>('fanout');
  writer.doc.on('update', (update: Uint8Array, origin: unknown) => {
    if (origin !== writer) writer.sendUpdate(update);
  });
  for (let i = 0; i < UPDATES; i++) {
    marks.push([performance.now()]);
    await new Promise((r) => setTimeout(r, INTERVAL_MS));
  }
  const expected = UPDATES * (size - 1);
  const deadline = Date.now() + 30_000;
  while (seen() < expected && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  await Promise.all(clients.map((c) => c.close()));
  expect(seen(), `${server.label}: updates received in the room of ${size}`).toBe(expected);
  const s = summarize(latencies);
  return { server: server.label, room: size, samples: s.n, p50: s.p50, p99: s.p99 };
}

describe('collab fan-out latency', () => {
  const rows: Row[] = [];
  beforeAll(() => pinLoadGenerator());
  afterAll(() => {
    const peer = (label: string, size: number) =>
      rows.find((r) => r.server.startsWith(label) && r.room === size);
    console.log(
      `\nfan-out: one writer, an update every ${INTERVAL_MS} ms, ${UPDATES} updates (first ${WARMUP} not counted), latency at every other client\n` +
        table(
          [
            'server',
            'room',
            'samples',
            'p50 ms',
            'p99 ms',
            'p99 vs reference',
            'p99 vs hocuspocus',
          ],
          rows.map((r) => [
            r.server,
            String(r.room),
            String(r.samples),
            fmt(r.p50, 2),
            fmt(r.p99, 2),
            ratio(r.p99, peer('@y/websocket-server', r.room)?.p99),
            ratio(r.p99, peer('@hocuspocus', r.room)?.p99),
          ]),
        ),
    );
  });

  for (const target of benchTargets()) {
    it.skipIf(target.unavailable !== undefined)(
      `${target.key}: rooms of ${ROOMS.join(', ')}`,
      async () => {
        const server = await target.start();
        try {
          for (const size of ROOMS) rows.push(await room(server, size));
        } finally {
          await server.stop();
        }
      },
    );
    if (target.unavailable) console.log(`${target.key}: not run — ${target.unavailable}`);
  }
});
