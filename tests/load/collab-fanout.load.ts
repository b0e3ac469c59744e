// Benchmark (a), issue 9: fan-out latency. In rooms of 10, 50 and 200 clients on one doc, one
// writer sends an update every FANOUT_INTERVAL_MS carrying its send time; every other client
// records the time until it has applied it. Same load generator, servers one after another; ours
// with its replicas taking the clients in turn (the writer on the first). For ours, where the tail
// comes from: per update, the writer's "durable" (101) time and the slowest receiver on the
// writer's replica and on the other one — all receivers of one update share its delay, so a p99
// over receivers is made of the few slowest updates.
import { PerformanceObserver, performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  benchTargets,
  pinLoadGenerator,
  ratio,
  type BenchServer,
} from './support/collab-servers.js';
import type { GcPause } from './support/gc-pauses.js';
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
  /** The slowest updates, hop by hop. */
  slowest: Slow[];
  /** p99 of the per-update durable time (ours) and of each replica's slowest receiver. */
  hops: { durable: number; same: number; other: number };
}

/** One update's times (ms from its send): the writer's 101, the slowest receiver per replica. */
interface Slow {
  index: number;
  durable: number;
  same: number;
  other: number;
  /** GC pauses (servers' and the load generator's) between its send and its last receipt. */
  pauses: GcPause[];
}

/** The load generator's own GC pauses of 1 ms or more: they delay every receipt alike. */
const loadGenPauses: GcPause[] = [];
new PerformanceObserver((list) => {
  for (const e of list.getEntries())
    if (e.duration >= 1)
      loadGenPauses.push({
        process: 'load generator',
        at: performance.timeOrigin + e.startTime,
        ms: e.duration,
      });
}).observe({ entryTypes: ['gc'] });

const SLOWEST_SHOWN = 3;

async function room(server: BenchServer, size: number): Promise<Row> {
  const docName = server.docName();
  const clients: YClient[] = [];
  for (let i = 0; i < size; i++)
    clients.push(new YClient(server.endpoint(i, await server.params()), docName));
  // Connect in small groups: 200 at once is a connection storm, not fan-out.
  for (let i = 0; i < size; i += 20)
    await Promise.all(clients.slice(i, i + 20).map((c) => c.connect()));
  const latencies: number[] = [];
  const replicas = server.bases.length;
  // Per update index: slowest receiver on the writer's replica (0) and on the others (1).
  const slowest = [new Array<number>(UPDATES).fill(NaN), new Array<number>(UPDATES).fill(NaN)];
  const durable = new Array<number>(UPDATES).fill(NaN);
  const sentAt = new Array<number>(UPDATES).fill(NaN);
  // A server may merge several updates into one message (ours relays a durable batch at once):
  // every mark new to a receiver counts, each against its own send time.
  const counted = new Map<YClient, number>();
  clients.slice(1).forEach((c, k) => {
    const side = (k + 1) % replicas === 0 ? 0 : 1;
    const marks = c.doc.getArray<number>('fanout');
    counted.set(c, 0);
    c.onUpdate = (at) => {
      for (let i = counted.get(c)!; i < marks.length; i++) {
        const latency = at - marks.get(i);
        if (i >= WARMUP) latencies.push(latency);
        if (!(slowest[side]![i]! >= latency)) slowest[side]![i] = latency;
      }
      counted.set(c, marks.length);
    };
  });
  const seen = () => [...counted.values()].reduce((a, b) => a + b, 0);
  const writer = clients[0]!;
  const marks = writer.doc.getArray<number>('fanout');
  // Ours counts the writer's durable updates (101): each is one mark here.
  writer.onSavedUpTo = (count, at) => {
    for (let i = 0; i < Math.min(count, UPDATES); i++)
      if (Number.isNaN(durable[i])) durable[i] = at - marks.get(i);
  };
  writer.doc.on('update', (update: Uint8Array, origin: unknown) => {
    if (origin !== writer) writer.sendUpdate(update);
  });
  for (let i = 0; i < UPDATES; i++) {
    sentAt[i] = performance.now();
    marks.push([sentAt[i]!]);
    await new Promise((r) => setTimeout(r, INTERVAL_MS));
  }
  const expected = UPDATES * (size - 1);
  const deadline = Date.now() + 30_000;
  while (seen() < expected && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  await Promise.all(clients.map((c) => c.close()));
  expect(seen(), `${server.label}: updates received in the room of ${size}`).toBe(expected);
  const s = summarize(latencies);
  const measured = [...Array(UPDATES).keys()].slice(WARMUP);
  const last = (i: number) => Math.max(slowest[0]![i]!, slowest[1]![i]! || 0);
  const pauses = [...server.gcPauses(), ...loadGenPauses];
  const slowestUpdates = [...measured]
    .sort((a, b) => last(b) - last(a))
    .slice(0, SLOWEST_SHOWN)
    .map((index) => {
      const from = performance.timeOrigin + sentAt[index]!;
      const to = from + last(index);
      return {
        index,
        durable: durable[index]!,
        same: slowest[0]![index]!,
        other: slowest[1]![index]!,
        pauses: pauses.filter((p) => p.at < to && p.at + p.ms > from),
      };
    });
  const p99Of = (values: number[]) =>
    values.some((v) => Number.isNaN(v)) ? NaN : summarize(values).p99;
  return {
    server: server.label,
    room: size,
    samples: s.n,
    p50: s.p50,
    p99: s.p99,
    slowest: slowestUpdates,
    hops: {
      durable: p99Of(measured.map((i) => durable[i]!)),
      same: p99Of(measured.map((i) => slowest[0]![i]!)),
      other: replicas > 1 ? p99Of(measured.map((i) => slowest[1]![i]!)) : NaN,
    },
  };
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
    if (rows.length > 0)
      console.log(
        `\nper update (ms from its send): the writer's 101 (durable, ours only), the slowest receiver on the writer's replica and on the other; p99 over the counted updates, then the ${SLOWEST_SHOWN} slowest (#index durable / same / other, and the GC pauses of 1 ms or more of any server process or the load generator while it travelled)\n` +
          table(
            ['server', 'room', 'durable p99', 'same p99', 'other p99', 'slowest updates'],
            rows.map((r) => [
              r.server,
              String(r.room),
              fmt(r.hops.durable, 2),
              fmt(r.hops.same, 2),
              fmt(r.hops.other, 2),
              r.slowest
                .map(
                  (u) =>
                    `#${u.index} ${fmt(u.durable, 1)}/${fmt(u.same, 1)}/${fmt(u.other, 1)}` +
                    (u.pauses.length
                      ? ` (gc: ${u.pauses.map((p) => `${p.process} ${fmt(p.ms, 1)}`).join(', ')})`
                      : ' (no gc)'),
                )
                .join('; '),
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
