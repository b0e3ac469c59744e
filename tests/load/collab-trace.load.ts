// Benchmark (b), issue 9: the automerge-paper trace (259,778 edits) replayed by one writer, each
// edit its own update, as fast as the server passes them on (the writer stays at most 10,000
// updates ahead of the reader), while a reader follows. Figures:
// time until the reader has the final text, updates per server CPU-second (every server-side
// process, from the first edit until 3 s after the reader is done), and — ours — the time from
// sending an edit to the server's "durable up to" message (101) counting it, both unpaced and (ours)
// at 25k updates/s, the pace the issue calls full speed. Then a late joiner
// syncs the whole doc from the warm server. Ours on one replica and on two (writer on the first,
// reader on the second).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  benchTargets,
  pinLoadGenerator,
  ratio,
  type BenchServer,
} from './support/collab-servers.js';
import { loadEditingTrace, TRACE_TEXT, TRACE_WRITER_ID } from './support/editing-trace.js';
import { CpuMeter } from './support/proc-stats.js';
import { fmt, summarize, table } from './support/stats.js';
import { writeTrace } from './support/trace-writer.js';
import { YClient } from './support/y-client.js';
import * as Y from 'yjs';

const TAIL_MS = 3_000;
/** Updates the writer may be ahead of the reader (TRACE_WINDOW): bounded, not a flood. */
const WINDOW = Number(process.env.TRACE_WINDOW ?? 10_000);
/** Ours replays the trace a second time at this pace (TRACE_PACED_RATE; 0 skips it). */
const PACED_RATE = Number(process.env.TRACE_PACED_RATE ?? 25_000);
/** The run fails once the reader has had no update for this long (TRACE_STALL_S). */
const STALL_MS = Number(process.env.TRACE_STALL_S ?? 60) * 1000;

interface Row {
  server: string;
  readerDoneS: number;
  serverCpuS: number;
  /** The load generator's own CPU over the same span (writer + reader on core 1). */
  loadCpuS: number;
  updatesPerCpuS: number;
  durableP50: number | undefined;
  durableP95: number | undefined;
  lateJoinMs: number;
}

/** Whether `doc` holds the whole trace (cheap checks first; the text compare once). */
function hasEverything(doc: Y.Doc, finalClock: number, endContent: string): boolean {
  const text = doc.getText(TRACE_TEXT);
  if (Y.getState(doc.store, TRACE_WRITER_ID) !== finalClock) return false;
  if (text.length !== endContent.length) return false;
  return text.toJSON() === endContent;
}

async function replay(server: BenchServer, perSecond = 0): Promise<Row> {
  const trace = loadEditingTrace();
  const docName = server.docName();
  const writer = new YClient(server.endpoint(0, await server.params()), docName);
  const reader = new YClient(server.endpoint(1, await server.params()), docName);
  await Promise.all([writer.connect(), reader.connect()]);
  const sentAt = new Float64Array(trace.updates.length);
  const durable: number[] = [];
  let durableCount = 0;
  writer.onSavedUpTo = (count, at) => {
    for (let i = durableCount; i < Math.min(count, sentAt.length); i++)
      durable.push(at - sentAt[i]!);
    durableCount = Math.max(durableCount, count);
  };
  let readerDoneAt = 0;
  let readerLastAt = performance.now();
  // Flow control: the writer stays at most WINDOW updates ahead of what the reader has, so no
  // server sits on a backlog of megabytes (behind which its pings' answers would wait too).
  let readerClock = 0;
  let released: { clock: number; resolve: () => void } | null = null;
  const gate = (i: number): Promise<void> | null => {
    if (i < WINDOW) return null;
    const clock = trace.clockAfter[i - WINDOW]!;
    if (readerClock >= clock) return null;
    return new Promise((resolve) => (released = { clock, resolve }));
  };
  const readerDone = new Promise<void>((resolve) => {
    reader.onUpdate = (at) => {
      readerLastAt = at;
      readerClock = Y.getState(reader.doc.store, TRACE_WRITER_ID);
      if (released && readerClock >= released.clock) {
        released.resolve();
        released = null;
      }
      if (readerDoneAt || !hasEverything(reader.doc, trace.finalClock, trace.endContent)) return;
      readerDoneAt = at;
      resolve();
    };
  });
  const cpu = new CpuMeter(() => server.pids());
  const cpuBefore = cpu.read();
  const loadBefore = process.cpuUsage();
  const t0 = performance.now();
  await writeTrace(writer, trace.updates, (i) => (sentAt[i] = performance.now()), perSecond, gate);
  // A reader that stops getting updates short of the end fails the run with where it stands.
  readerLastAt = Math.max(readerLastAt, performance.now() - STALL_MS / 2);
  let watch: NodeJS.Timeout | undefined;
  const stalled = new Promise<never>((_, reject) => {
    watch = setInterval(() => {
      if (performance.now() - readerLastAt < STALL_MS) return;
      const text = reader.doc.getText(TRACE_TEXT);
      reject(
        new Error(
          `${server.label}: the reader got nothing for ${STALL_MS / 1000} s short of the end: ` +
            `writer clock ${Y.getState(reader.doc.store, TRACE_WRITER_ID)} of ${trace.finalClock}, ` +
            `text ${text.length} of ${trace.endContent.length} chars, ${durableCount} durable; ` +
            `writer closed: ${JSON.stringify(writer.closed)}, reader closed: ${JSON.stringify(reader.closed)}\n` +
            server.logs(),
        ),
      );
    }, 1_000);
  });
  try {
    await Promise.race([readerDone, stalled]);
  } finally {
    clearInterval(watch);
  }
  await new Promise((r) => setTimeout(r, TAIL_MS));
  const serverCpuS = cpu.read() - cpuBefore;
  const load = process.cpuUsage(loadBefore);
  const loadCpuS = (load.user + load.system) / 1e6;
  expect(writer.closed, `${server.label}: the writer was closed`).toBeNull();

  // A late joiner: the whole doc from the warm server (another replica when there are two).
  const late = new YClient(server.endpoint(1, await server.params()), docName);
  const j0 = performance.now();
  await late.connect();
  const lateJoinMs = performance.now() - j0;
  expect(late.doc.getText(TRACE_TEXT).toJSON()).toBe(trace.endContent);
  await Promise.all([writer.close(), reader.close(), late.close()]);
  const d = durable.length > 0 ? summarize(durable) : undefined;
  return {
    server: perSecond ? `${server.label}, paced ${perSecond / 1000}k/s` : server.label,
    readerDoneS: (readerDoneAt - t0) / 1000,
    serverCpuS,
    loadCpuS,
    updatesPerCpuS: trace.updates.length / serverCpuS,
    durableP50: d?.p50,
    durableP95: d?.p95,
    lateJoinMs,
  };
}

describe('collab editing trace', () => {
  const rows: Row[] = [];
  beforeAll(() => {
    pinLoadGenerator();
    loadEditingTrace();
  });
  afterAll(() => {
    const trace = loadEditingTrace();
    const ref = rows.find((r) => r.server.startsWith('@y/websocket-server'));
    const hp = rows.find((r) => r.server.startsWith('@hocuspocus'));
    console.log(
      `\nediting trace: ${trace.updates.length} updates (${(trace.totalBytes / 1e6).toFixed(1)} MB), one writer, one reader; server CPU until ${TAIL_MS / 1000} s after the reader is done\n` +
        table(
          [
            'server',
            'reader done s',
            'server CPU s',
            'load gen CPU s',
            'updates/CPU-s',
            'vs reference',
            'vs hocuspocus',
            'durable p50 ms',
            'durable p95 ms',
            'late join ms',
          ],
          rows.map((r) => [
            r.server,
            fmt(r.readerDoneS, 2),
            fmt(r.serverCpuS, 2),
            fmt(r.loadCpuS, 2),
            fmt(r.updatesPerCpuS, 0),
            ratio(r.updatesPerCpuS, ref?.updatesPerCpuS),
            ratio(r.updatesPerCpuS, hp?.updatesPerCpuS),
            r.durableP50 === undefined ? 'n/a' : fmt(r.durableP50, 1),
            r.durableP95 === undefined ? 'n/a' : fmt(r.durableP95, 1),
            fmt(r.lateJoinMs, 1),
          ]),
        ),
    );
  });

  for (const target of benchTargets()) {
    it.skipIf(target.unavailable !== undefined)(`${target.key}: replay`, async () => {
      const server = await target.start();
      try {
        rows.push(await replay(server));
        // Durability at the pace the issue calls full speed, not only under an unpaced flood.
        if (server.name === 'agora' && PACED_RATE > 0) rows.push(await replay(server, PACED_RATE));
      } finally {
        await server.stop();
      }
    });
    if (target.unavailable) console.log(`${target.key}: not run — ${target.unavailable}`);
  }
});
