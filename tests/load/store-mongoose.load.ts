// Benchmark: mongoose `create`, `findById` and an indexed `find` against the embedded store
// (or MONGO_URL when set), 1 and 16 concurrent clients, at 10k and 100k documents.
// Prints ops/s, p50/p99 latency, the store process's CPU time per operation (from /proc) and the
// load average per cell; asserts nothing about speed.
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ObjectId } from 'mongodb';
import mongoose, { Schema, type Connection, type Model } from 'mongoose';
import { startTestStore, type TestStore } from '../support/store.js';

const CELL_SECONDS = Number(process.env.STORE_BENCH_SECONDS ?? 3);
const SIZES = [10_000, 100_000];
const CONCURRENCY = [1, 16];

interface Item {
  key: string;
  group: number;
  title: string;
  body: string;
  tags: string[];
}

const itemSchema = new Schema<Item>(
  {
    key: { type: String, required: true, index: true }, // serves find({ key })
    group: { type: Number, required: true },
    title: String,
    body: String,
    tags: [String],
  },
  { timestamps: true },
);

interface Row {
  docs: number;
  op: string;
  clients: number;
  ops: number;
  opsPerSec: number;
  p50: number;
  p99: number;
  /** Store process CPU (user + system) per operation, µs; NaN against MONGO_URL. */
  cpuUs: number;
  load: number;
}

/** utime + stime of a process in ms (Linux /proc, 100 ticks/s); NaN when unknown. */
function cpuMs(pid: number | undefined): number {
  if (pid === undefined) return NaN;
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

function itemDoc(i: number, id = new ObjectId()) {
  const now = new Date();
  return {
    _id: id,
    key: `k${i}`,
    group: i % 100,
    title: `Pilot proposal ${i}`,
    body: 'Co-drafted workshop notes for the Market Place session. '.repeat(4),
    tags: ['medtown', `g${i % 7}`],
    createdAt: now,
    updatedAt: now,
    __v: 0,
  };
}

describe('embedded store: mongoose throughput', () => {
  let store: TestStore;
  const conns: Connection[] = [];
  const models: Model<Item>[] = [];
  const ids: ObjectId[] = [];
  const rows: Row[] = [];
  let nextKey = 0;

  beforeAll(async () => {
    store = await startTestStore({ name: 'bench' });
    for (let i = 0; i < Math.max(...CONCURRENCY); i += 1) {
      const conn = await mongoose
        .createConnection(store.url, { dbName: store.dbName, maxPoolSize: 1, autoIndex: false })
        .asPromise();
      conns.push(conn);
      models.push(conn.model<Item>('BenchItem', itemSchema, 'bench_items'));
    }
    await models[0]!.syncIndexes();
  });

  afterAll(async () => {
    await Promise.all(conns.map((c) => c.close()));
    await store?.stop();
  });

  async function fillTo(size: number): Promise<void> {
    const coll = conns[0]!.db!.collection('bench_items');
    while (nextKey < size) {
      const batch = [];
      for (let i = 0; i < 1_000 && nextKey < size; i += 1, nextKey += 1) {
        const doc = itemDoc(nextKey);
        ids.push(doc._id);
        batch.push(doc);
      }
      await coll.insertMany(batch, { ordered: false });
    }
  }

  async function cell(
    docs: number,
    op: string,
    clients: number,
    run: (m: Model<Item>) => Promise<void>,
  ) {
    const latencies: number[] = [];
    // short warm-up so JIT and connection setup do not count
    const warmUntil = Date.now() + 300;
    await Promise.all(
      models.slice(0, clients).map(async (m) => {
        while (Date.now() < warmUntil) await run(m);
      }),
    );
    const cpu0 = cpuMs(store.pid);
    const started = performance.now();
    const until = started + CELL_SECONDS * 1_000;
    await Promise.all(
      models.slice(0, clients).map(async (m) => {
        while (performance.now() < until) {
          const t0 = performance.now();
          await run(m);
          latencies.push(performance.now() - t0);
        }
      }),
    );
    const elapsed = (performance.now() - started) / 1_000;
    latencies.sort((a, b) => a - b);
    const row = {
      docs,
      op,
      clients,
      ops: latencies.length,
      opsPerSec: latencies.length / elapsed,
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
      cpuUs: ((cpuMs(store.pid) - cpu0) * 1000) / latencies.length,
      load: loadavg()[0]!,
    };
    rows.push(row);
    console.log(
      `${String(docs).padStart(7)} docs  ${op.padEnd(13)} ${String(clients).padStart(2)} clients  ` +
        `${row.opsPerSec.toFixed(0).padStart(7)} ops/s  p50 ${row.p50.toFixed(2)} ms  p99 ${row.p99.toFixed(2)} ms  ` +
        `store CPU ${row.cpuUs.toFixed(0)} µs/op  load ${row.load.toFixed(1)}`,
    );
  }

  it('measures create, findById and indexed find', { timeout: 600_000 }, async () => {
    const loadBefore = loadavg()[0]!.toFixed(2);
    const pick = () => ids[Math.floor(Math.random() * ids.length)]!;
    for (const size of SIZES) {
      const t0 = Date.now();
      await fillTo(size);
      console.log(`loaded ${size} documents in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
      // reads first, at exactly `size` documents; creates last (they grow the collection)
      for (const clients of CONCURRENCY) {
        await cell(size, 'findById', clients, async (m) => {
          const id = pick();
          const doc = await m.findById(id);
          if (!doc) throw new Error(`findById(${id.toHexString()}) found nothing`);
        });
      }
      for (const clients of CONCURRENCY) {
        await cell(size, 'find({key})', clients, async (m) => {
          const k = Math.floor(Math.random() * size);
          const found = await m.find({ key: `k${k}` });
          if (found.length !== 1) throw new Error(`find({key:k${k}}) returned ${found.length}`);
        });
      }
      for (const clients of CONCURRENCY) {
        await cell(size, 'create', clients, async (m) => {
          const i = nextKey++;
          await m.create({ key: `k${i}`, group: i % 100, title: `t${i}`, body: 'b', tags: ['x'] });
        });
      }
    }
    const target = store.embedded ? 'embedded store' : `MONGO_URL`;
    const header = `| docs | operation | clients | ops/s | p50 ms | p99 ms | store CPU µs/op | load |\n|---:|---|---:|---:|---:|---:|---:|---:|`;
    const lines = rows.map(
      (r) =>
        `| ${r.docs.toLocaleString('en')} | ${r.op} | ${r.clients} | ${r.opsPerSec.toFixed(0)} | ${r.p50.toFixed(2)} | ${r.p99.toFixed(2)} | ${r.cpuUs.toFixed(0)} | ${r.load.toFixed(1)} |`,
    );
    console.log(
      `\nmongoose on the ${target}, ${CELL_SECONDS} s per cell, ${cpus().length} cores, Node ${process.version}, ` +
        `${new Date().toISOString().slice(0, 10)}, 1-min load average ${loadBefore} before / ${loadavg()[0]!.toFixed(2)} after\n${header}\n${lines.join('\n')}\n`,
    );
    expect(rows).toHaveLength(SIZES.length * CONCURRENCY.length * 3);
  });
});
