// Benchmark: the embedded store's engine through the plain driver (no mongoose), per operation
// the services' hot paths use: durable inserts at 1/8/64 concurrent clients (group commit),
// updateOne and findOneAndUpdate by _id with $inc/$set/$push $slice, an update by _id of a
// document with 8 indexes none of which it changes, findOne by _id, a find by
// `_id: { $in }` plus another condition, insertMany
// with duplicate keys under ordered:false, and a leaderboard's index-range count and top-10.
// Each figure comes with the store process's CPU time per operation (from /proc, so it does not
// depend on how loaded the machine is) and the 1-min load average while it ran.
// STORE_BENCH_CLI=<path to an agora-store.mjs> measures that build instead of the repository's;
// STORE_BENCH_BASE_CLI=<another> runs the same cells against it too, in the same run (before and
// after under the same load). Asserts nothing about speed.
import { cpus, loadavg } from 'node:os';
import { afterAll, describe, expect, it } from 'vitest';
import { MongoClient, MongoBulkWriteError, type Collection } from 'mongodb';
import { storeCli } from '../support/store.js';
import { fmt, summarize, table } from './support/stats.js';
import { countJournalSyncs, cpuMs, spawnStore, stopStore } from './support/store-process.js';

const CELL_MS = Number(process.env.STORE_BENCH_CELL_MS ?? 2_000);
const DOCS = Number(process.env.STORE_BENCH_DOCS ?? 100_000);
/** Directory for a CPU profile of each store process (`node --cpu-prof`), when set. */
const PROFILE_DIR = process.env.STORE_BENCH_PROFILE;
/**
 * STORE_BENCH_SCRUB_MS=<ms>: the store's `--scrub-after-ms` (0–30000; its default 10 s when unset).
 * 30000 keeps the erasure compaction the first update schedules out of the update cells, which
 * then show the commands' own CPU.
 */
const SCRUB_MS = process.env.STORE_BENCH_SCRUB_MS;
/** STORE_BENCH_STRACE=1: count the store's durable journal writes per write cell (`strace -c`), to show group commit (tracing inflates the CPU figures). */
const STRACE = process.env.STORE_BENCH_STRACE === '1';

interface Member {
  _id: string;
  k: number;
  country: string;
  n: number;
  recent: string[];
  at: Date;
}

interface Balance {
  _id: string;
  a: number;
  b: number;
  c: string;
  d: number;
  e: string;
  f: number;
  g: boolean;
  h: string;
  points: number;
  outbox: { ev: number; at: Date }[];
}

interface Row {
  build: string;
  op: string;
  clients: number;
  opsPerSec: number;
  p50: number;
  p99: number;
  cpuUsPerOp: number;
  load: number;
  /** Writes acknowledged per durable journal write (STORE_BENCH_STRACE=1, write cells only). */
  perFsync?: number;
}

const rows: Row[] = [];

function member(i: number): Member {
  return {
    _id: `m${String(i).padStart(7, '0')}`,
    k: Math.floor(6000 * Math.random() ** 3) + (i % 1000) / 1000,
    country: ['ES', 'PT', 'GR', 'JO', 'PS', 'TN', 'IT', 'FR'][i % 8]!,
    n: 0,
    recent: [],
    at: new Date(),
  };
}

async function runBuild(build: string, cli: string): Promise<void> {
  const store = await spawnStore(cli, { profileDir: PROFILE_DIR, scrubMs: SCRUB_MS });
  const pid = store.proc.pid!;
  const client = new MongoClient(store.url, { maxPoolSize: 64, serverSelectionTimeoutMS: 10_000 });
  try {
    await client.connect();
    const db = client.db('bench');
    const members: Collection<Member> = db.collection<Member>('members');
    await members.createIndex({ k: 1 });
    await members.createIndex({ country: 1, k: 1 });
    const t0 = performance.now();
    const c0 = cpuMs(pid);
    for (let i = 0; i < DOCS; i += 1_000) {
      await members.insertMany(Array.from({ length: 1_000 }, (_, j) => member(i + j)));
    }
    rows.push({
      build,
      op: `insertMany x1000 (load ${DOCS / 1000}k)`,
      clients: 1,
      opsPerSec: DOCS / ((performance.now() - t0) / 1000),
      p50: NaN,
      p99: NaN,
      cpuUsPerOp: ((cpuMs(pid) - c0) * 1000) / DOCS,
      load: loadavg()[0]!,
    });
    const pick = () => `m${String(Math.floor(Math.random() * DOCS)).padStart(7, '0')}`;
    let fresh = 0;
    let nextEvent = 0;
    const events = db.collection<{ _id: string; v: number }>('events');

    async function cell(
      op: string,
      clients: number,
      run: () => Promise<number | void>,
      ms = CELL_MS,
      traceFsyncs = false,
    ): Promise<void> {
      const warm = Date.now() + 200;
      await Promise.all(
        Array.from({ length: clients }, async () => {
          while (Date.now() < warm) await run();
        }),
      );
      const latencies: number[] = [];
      let units = 0;
      const fsyncs = traceFsyncs && STRACE ? countJournalSyncs(pid) : null;
      const c1 = cpuMs(pid);
      const started = performance.now();
      const until = started + ms;
      await Promise.all(
        Array.from({ length: clients }, async () => {
          while (performance.now() < until) {
            const t = performance.now();
            const done = (await run()) ?? 1; // read `units` only after the await
            units += done;
            latencies.push(performance.now() - t);
          }
        }),
      );
      const elapsed = (performance.now() - started) / 1000;
      const s = summarize(latencies);
      const cpu = cpuMs(pid) - c1;
      const calls = fsyncs ? await fsyncs.stop() : NaN;
      rows.push({
        build,
        op,
        clients,
        opsPerSec: units / elapsed,
        p50: s.p50,
        p99: s.p99,
        cpuUsPerOp: (cpu * 1000) / units,
        load: loadavg()[0]!,
        ...(fsyncs ? { perFsync: latencies.length / calls } : {}),
      });
    }

    for (const clients of [1, 8, 64])
      await cell(
        'insertOne (fsynced)',
        clients,
        async () => {
          await events.insertOne({ _id: `e${nextEvent++}`, v: 1 });
        },
        CELL_MS,
        true,
      );
    // a filter beyond an _id lookup (chat's `{ _id: { $in } }` updates, its member lookups)
    await cell('find _id $in [2] + country', 16, async () => {
      await members.find({ _id: { $in: [pick(), pick()] }, country: 'ES' }).toArray();
    });
    await cell('findOne _id', 16, async () => {
      if (!(await members.findOne({ _id: pick() }))) throw new Error('findOne found nothing');
    });
    // 100 documents a batch, 10 of them already there: 10 E11000 write errors, 90 inserted.
    await cell('insertMany x100 ordered:false, 10% dup (docs/s)', 4, async () => {
      const base = nextEvent;
      const batch = Array.from({ length: 100 }, (_, i) =>
        i % 10 === 0 ? { _id: `e${base - 1 - i}`, v: 2 } : { _id: `e${nextEvent++}`, v: 1 },
      );
      try {
        await events.insertMany(batch, { ordered: false });
      } catch (err) {
        if (!(err instanceof MongoBulkWriteError)) throw err;
      }
      return 100;
    });
    // A leaderboard: how many rank above me (an index-range count), and the top 10.
    const sorted = (
      await members
        .find({}, { projection: { k: 1 } })
        .sort({ k: 1 })
        .toArray()
    ).map((d) => d.k);
    for (const [where, at] of [
      ['bottom', 0.001],
      ['middle', 0.5],
      ['top', 0.999],
    ] as const) {
      const from = sorted[Math.floor(at * sorted.length)]!;
      await cell(
        `countDocuments k range, viewer at ${where}`,
        1,
        async () => {
          await members.countDocuments({ k: { $gte: from, $lt: 1e9 } });
        },
        Math.min(CELL_MS, 1_500),
      );
    }
    await cell(
      'find k range sort -1 limit 10',
      1,
      async () => {
        const top = await members
          .find({ k: { $gte: 0, $lt: 1e9 } })
          .sort({ k: -1 })
          .limit(10)
          .toArray();
        if (top.length !== 10) throw new Error('top 10 short');
      },
      Math.min(CELL_MS, 1_500),
    );
    // Updates overwrite data, so each schedules the erasure compaction (10 s later): they run
    // last, so it lands in their cells (where it belongs) and not in the others'.
    for (const clients of [1, 16])
      await cell(
        'updateOne _id $inc/$set/$push$slice',
        clients,
        async () => {
          const r = await members.updateOne(
            { _id: pick() },
            {
              $inc: { n: 1, k: 1 },
              $set: { at: new Date() },
              $push: { recent: { $each: [`e${fresh++}`], $slice: -20 } },
            },
          );
          if (r.matchedCount !== 1) throw new Error('update matched nothing');
        },
        CELL_MS,
        true,
      );
    // A points balance: 8 secondary indexes, none on the fields an award changes, and the
    // outbox entry the award carries (the points drain's update by _id).
    const balances = db.collection<Balance>('balances');
    for (const f of ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'])
      await balances.createIndex({ [f]: 1 });
    const BALANCES = 10_000;
    for (let i = 0; i < BALANCES; i += 1_000)
      await balances.insertMany(
        Array.from({ length: 1_000 }, (_, j) => {
          const n = i + j;
          return {
            _id: `b${n}`,
            a: n,
            b: n % 97,
            c: `c${n % 13}`,
            d: n % 5,
            e: `e${n}`,
            f: n % 7,
            g: n % 2 === 0,
            h: `h${n % 31}`,
            points: 0,
            outbox: [],
          };
        }),
      );
    await cell('updateOne _id $inc/$push outbox, 8 indexes', 16, async () => {
      const r = await balances.updateOne(
        { _id: `b${Math.floor(Math.random() * BALANCES)}` },
        {
          $inc: { points: 5 },
          $push: { outbox: { $each: [{ ev: fresh++, at: new Date() }], $slice: -8 } },
        },
      );
      if (r.matchedCount !== 1) throw new Error('balance update matched nothing');
    });
    await cell('findOneAndUpdate _id', 16, async () => {
      const r = await members.findOneAndUpdate(
        { _id: pick() },
        { $inc: { n: 1 } },
        { returnDocument: 'after' },
      );
      if (!r) throw new Error('findOneAndUpdate found nothing');
    });
  } finally {
    await client.close();
    await stopStore(store);
  }
}

describe('embedded store: engine per operation', () => {
  afterAll(() => {
    const builds = [...new Set(rows.map((r) => r.build))];
    console.log(
      `\nembedded store engine, ${DOCS} members, ${CELL_MS} ms per cell, ${cpus().length} cores, Node ${process.version}, ${new Date().toISOString()}\n` +
        table(
          [
            'build',
            'operation',
            'clients',
            'ops/s',
            'p50 ms',
            'p99 ms',
            'store CPU µs/op',
            'writes/fsync',
            'load',
          ],
          rows.map((r) => [
            r.build,
            r.op,
            String(r.clients),
            fmt(r.opsPerSec, 0),
            fmt(r.p50, 2),
            fmt(r.p99, 2),
            fmt(r.cpuUsPerOp, 0),
            r.perFsync === undefined ? '' : fmt(r.perFsync, 1),
            fmt(r.load, 1),
          ]),
        ) +
        (builds.length > 1 ? `\n(builds: ${builds.join(', ')})` : ''),
    );
  });

  it('measures each hot path', { timeout: 600_000 }, async () => {
    await runBuild('current', process.env.STORE_BENCH_CLI ?? storeCli);
    const base = process.env.STORE_BENCH_BASE_CLI;
    if (base) await runBuild('base', base);
    expect(rows.length).toBeGreaterThan(0);
  });
});
