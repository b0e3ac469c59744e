// Benchmark: what an fsync per JetStream write would cost on this disk. Appends 171-byte records
// (a one-character Yjs update with NATS and JetStream framing is about that size) to a file, in
// batches of 1, 10 and 100, with and without an fsync after each batch, and prints appends/s and
// the p95 time from a batch's first append to its being written (and, with fsync, on disk).
import { closeSync, fsyncSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fmt, summarize, table } from './support/stats.js';

const RECORD_BYTES = 171;
const CELL_MS = Number(process.env.FSYNC_BENCH_MS ?? 2_000);
const BATCHES = [1, 10, 100];

interface Cell {
  batch: number;
  fsync: boolean;
  appendsPerSec: number;
  p50Ms: number;
  p95Ms: number;
}

function run(dir: string, batch: number, fsync: boolean): Cell {
  const file = join(dir, `log-${batch}-${fsync ? 'fsync' : 'nofsync'}`);
  const fd = openSync(file, 'a');
  const record = Buffer.alloc(RECORD_BYTES, 0x61);
  const latencies: number[] = [];
  let appends = 0;
  const t0 = performance.now();
  try {
    while (performance.now() - t0 < CELL_MS) {
      const start = performance.now();
      for (let i = 0; i < batch; i++) writeSync(fd, record);
      if (fsync) fsyncSync(fd);
      latencies.push(performance.now() - start);
      appends += batch;
    }
  } finally {
    closeSync(fd);
  }
  const elapsed = (performance.now() - t0) / 1000;
  const s = summarize(latencies);
  return { batch, fsync, appendsPerSec: appends / elapsed, p50Ms: s.p50, p95Ms: s.p95 };
}

describe('fsync cost', () => {
  it('appends 171-byte records with and without an fsync per batch', () => {
    // os.tmpdir() is on the same ext4 disk as .data/ here (checked with df -T); FSYNC_DIR overrides.
    const dir = mkdtempSync(join(process.env.FSYNC_DIR ?? tmpdir(), 'agora-fsync-'));
    const cells: Cell[] = [];
    try {
      for (const batch of BATCHES)
        for (const fsync of [false, true]) cells.push(run(dir, batch, fsync));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    console.log(
      `\nfsync cost: ${RECORD_BYTES}-byte records, ${CELL_MS} ms per cell, in ${dir}\n` +
        table(
          ['batch', 'fsync', 'appends/s', 'p50 ms/batch', 'p95 ms/batch'],
          cells.map((c) => [
            String(c.batch),
            c.fsync ? 'yes' : 'no',
            fmt(c.appendsPerSec, 0),
            fmt(c.p50Ms, 3),
            fmt(c.p95Ms, 3),
          ]),
        ) +
        '\n' +
        BATCHES.map((b) => {
          const off = cells.find((c) => c.batch === b && !c.fsync)!;
          const on = cells.find((c) => c.batch === b && c.fsync)!;
          return `batch ${b}: fsync costs ${fmt(off.appendsPerSec / on.appendsPerSec, 1)}x in appends/s`;
        }).join('\n'),
    );
    for (const c of cells) expect(c.appendsPerSec).toBeGreaterThan(0);
  });
});
