// Chat fan-out, issue 13: 2,000 socket.io clients in 100 rooms of 20, one message per second per
// room plus typing, through the real path — REST send → chat (stored, seq) → core NATS → two
// gateway replicas → sockets — side by side in the same run with a stock socket.io server (in-memory
// adapter, one process, no persistence, the sender's socket emits). Every client records the time
// from the send to its copy; loss is every (message, member) pair never delivered. Messages per
// server CPU-second count every message stored (answered 201, or received by a member when its REST
// call timed out); ours also prints its CPU per message by process (nats-server, store, chat, each
// gateway) to show where the cost is.
import { writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { randomBytes } from 'node:crypto';
import { socketPath } from '@agora/proto';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GcPause } from './support/gc-pauses.js';
import {
  pinLoadGenerator,
  startAgoraChat,
  startStock,
  type AgoraChat,
  type StockServer,
} from './support/chat-servers.js';
import { CpuMeter, rssBytes } from './support/proc-stats.js';
import { fmt, summarize, table } from './support/stats.js';

const ROOMS = Number(process.env.CHAT_FANOUT_ROOMS ?? 100);
const PER_ROOM = 20;
const SECONDS = Number(process.env.CHAT_FANOUT_SECONDS ?? 30);
/** File to write each counted delivery to (`n`, ms from the run's start to the send, latency), when set. */
const TRACE_FILE = process.env['CHAT_BENCH_TRACE'];
/** The first seconds are not counted (connections settle, JIT warms up). */
const WARMUP_SECONDS = 3;
/** With a trace: a message is slow past this latency at any member, and a pause this long is matched to it. */
const SLOW_MS = 10;
const LONG_PAUSE_MS = 5;

interface Row {
  server: string;
  /** Sends answered with success; `attempted` - `sent` failed (ours: 503 when chat fell behind). */
  sent: number;
  /** Messages answered with success or received by a member (a timed-out send may be stored). */
  stored: number;
  attempted: number;
  expected: number;
  delivered: number;
  p50: number;
  p99: number;
  kbPerConn: number;
  cpuSeconds: number;
  /** CPU seconds of each server process (serverPids order) over the measured window. */
  processSeconds: number[];
  typingDelivered: number;
}

const hex24 = () => randomBytes(12).toString('hex');

interface Harness {
  label: string;
  serverPids(): number[];
  connPids(): number[];
  gc(): Promise<void>;
  gcPauses(): GcPause[];
  /** Connects member `m` of room `r` (client index i), joined to the room. */
  connect(r: number, m: number, i: number): Promise<Socket>;
  /** Sends one message from room r's sender, carrying `sentAt` in its body. */
  send(r: number, i: number, sentAt: number, sender: Socket): Promise<void>;
  typing(r: number, typist: Socket): void;
  stop(): Promise<void>;
}

async function run(h: Harness): Promise<Row> {
  const before = rssBytes(h.connPids());
  const sockets: Socket[][] = Array.from({ length: ROOMS }, () => []);
  const latencies: number[] = [];
  /** With a trace: every counted delivery (message `n`, its send time, its latency). */
  const trace: { n: number; sentAt: number; ms: number }[] = [];
  let traceStart = 0;
  let delivered = 0;
  let typingDelivered = 0;
  let counting = false;
  const seen = new Set<string>();
  /** Messages (by n) at least one member received: stored and delivered, whatever the REST reply. */
  const reached = new Set<number>();
  let client = 0;
  for (let r = 0; r < ROOMS; r += 1) {
    await Promise.all(
      Array.from({ length: PER_ROOM }, async (_, m) => {
        const s = await h.connect(r, m, client++);
        s.on('message.created', (p: { message: { body: string; seq?: number } }) => {
          const at = performance.now();
          const match = /^t=([\d.]+) n=(\d+)/.exec(p.message.body);
          if (!match) return;
          const key = `${r}:${m}:${match[2]}`;
          if (seen.has(key)) return;
          seen.add(key);
          if (!counting || Number(match[2]) < 0) return;
          delivered += 1;
          reached.add(Number(match[2]));
          latencies.push(at - Number(match[1]));
          if (TRACE_FILE)
            trace.push({
              n: Number(match[2]),
              sentAt: Number(match[1]),
              ms: at - Number(match[1]),
            });
        });
        s.on('typing', () => {
          if (counting) typingDelivered += 1;
        });
        sockets[r]![m] = s;
      }),
    );
  }
  console.log(`${h.label}: ${client} clients connected and joined`);
  await h.gc();
  const kbPerConn = (rssBytes(h.connPids()) - before) / 1024 / (ROOMS * PER_ROOM);

  // One message per second per room, rooms spread evenly over the second; typing every 2 s.
  const cpu = new CpuMeter(() => h.serverPids());
  const perProcess = h.serverPids().map((pid) => new CpuMeter(() => [pid]));
  let perProcessStart: number[] = [];
  let sent = 0;
  let attempted = 0;
  const failures: string[] = [];
  let cpuStart = 0;
  const pending: Promise<void>[] = [];
  const start = performance.now();
  traceStart = start;
  for (let tick = 0; tick < SECONDS * ROOMS; tick += 1) {
    const due = start + (tick * 1000) / ROOMS;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((res) => setTimeout(res, wait));
    const second = Math.floor(tick / ROOMS);
    if (second === WARMUP_SECONDS && !counting) {
      counting = true;
      cpuStart = cpu.read();
      perProcessStart = perProcess.map((m) => m.read());
    }
    const r = tick % ROOMS;
    const room = sockets[r]!;
    const n = counting ? attempted++ : -1 - tick;
    pending.push(
      h.send(r, n, performance.now(), room[0]!).then(
        () => {
          if (n >= 0) sent += 1;
        },
        (err: unknown) => {
          if (n >= 0) failures.push(err instanceof Error ? err.message : String(err));
        },
      ),
    );
    if (second % 2 === 0) h.typing(r, room[1]!);
  }
  await Promise.all(pending);
  // Stragglers: wait until nothing more arrives for a second (at most 10 s).
  for (let i = 0, last = -1; i < 20 && delivered !== last; i += 1) {
    last = delivered;
    await new Promise((res) => setTimeout(res, 500));
  }
  const cpuSeconds = cpu.read() - cpuStart;
  const processSeconds = perProcess.map((m, i) => m.read() - (perProcessStart[i] ?? 0));
  if (failures.length > 0)
    console.log(`${h.label}: ${failures.length} of ${attempted} sends failed, e.g. ${failures[0]}`);
  for (const room of sockets) for (const s of room) s.disconnect();
  const s = summarize(latencies);
  if (TRACE_FILE) {
    const file = `${TRACE_FILE}.${h.label.split(' ')[0]}`;
    const epochAtStart = performance.timeOrigin + traceStart;
    const lines = trace.map(
      (d) => `${d.n} ${(d.sentAt - traceStart).toFixed(1)} ${d.ms.toFixed(2)}`,
    );
    writeFileSync(file, `# epoch ms at 0: ${epochAtStart.toFixed(0)}\n${lines.join('\n')}\n`);
    const pauses = h.gcPauses();
    writeFileSync(
      `${file}.gc`,
      `# ms from 0, pause ms, process\n${pauses
        .map((p) => `${(p.at - epochAtStart).toFixed(1)} ${p.ms.toFixed(2)} ${p.process}`)
        .join('\n')}\n`,
    );
    console.log(`${h.label}: ${tailReport(trace, pauses)}`);
  }
  return {
    server: h.label,
    sent,
    stored: Math.max(sent, reached.size),
    attempted,
    // A send whose REST call timed out may still be stored and delivered later: count them all.
    expected: attempted * PER_ROOM,
    delivered,
    p50: s.p50,
    p99: s.p99,
    kbPerConn,
    cpuSeconds,
    processSeconds,
    typingDelivered,
  };
}

/** How many messages were slow at some member, and how many of those met a long GC pause on their way. */
function tailReport(deliveries: { n: number; sentAt: number; ms: number }[], pauses: GcPause[]) {
  // Each message's slowest delivery, its send time on the epoch clock the pauses use.
  const slowest = new Map<number, { sentAt: number; ms: number }>();
  for (const d of deliveries)
    if ((slowest.get(d.n)?.ms ?? -1) < d.ms)
      slowest.set(d.n, { sentAt: performance.timeOrigin + d.sentAt, ms: d.ms });
  const messages = [...slowest.values()];
  const slow = messages.filter((m) => m.ms > SLOW_MS);
  const long = pauses.filter((p) => p.ms >= LONG_PAUSE_MS);
  const met = slow.filter((m) =>
    long.some((p) => p.at < m.sentAt + m.ms && p.at + p.ms > m.sentAt),
  );
  const byProcess = new Map<string, number>();
  for (const p of long) byProcess.set(p.process, (byProcess.get(p.process) ?? 0) + 1);
  const counts = [...byProcess].map(([name, n]) => `${name} ${n}`).join(', ') || 'none';
  return (
    `${slow.length} of ${messages.length} messages had a delivery over ${SLOW_MS} ms; ` +
    `${met.length} of them met a GC pause of ${LONG_PAUSE_MS} ms or more in a server on their way ` +
    `(pauses that long, whole run: ${counts})`
  );
}

/** A connected client; resolves on `event` (ours says `ready` right on connection: listen first). */
function client(base: string, auth: Record<string, string>, event = 'connect'): Promise<Socket> {
  const s = io(base, {
    path: socketPath,
    auth,
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
  });
  return new Promise((resolve, reject) => {
    s.once(event, () => resolve(s));
    s.once('connect_error', reject);
  });
}

function agoraHarness(
  a: AgoraChat,
  channels: string[],
  members: string[][],
  tokens: string[][],
): Harness {
  return {
    label: 'agora (REST → chat → NATS → 2 gateways)',
    serverPids: () => a.pids(),
    connPids: () => a.gatewayPids(),
    gc: () => a.gc(),
    gcPauses: () => a.gcPauses(),
    async connect(r, m, i) {
      const s = await client(
        a.gateways[i % a.gateways.length]!,
        { token: tokens[r]![m]! },
        'ready',
      );
      const reply = (await s
        .timeout(30_000)
        .emitWithAck('channel.join', { channelId: channels[r] })) as {
        ok: boolean;
      };
      if (!reply.ok) throw new Error(`join refused: ${JSON.stringify(reply)}`);
      return s;
    },
    async send(r, n, sentAt) {
      const res = await fetch(
        `${a.gateways[r % a.gateways.length]}/api/channels/${channels[r]}/messages`,
        {
          method: 'POST',
          headers: {
            authorization: `Bearer ${tokens[r]![0]}`,
            'content-type': 'application/json',
            'x-forwarded-for': `10.0.${Math.floor(r / 250)}.${r % 250}`,
          },
          body: JSON.stringify({
            body: `t=${sentAt} n=${n}`,
            clientMessageId: `r${r}-${n}-${hex24()}`,
          }),
        },
      );
      await res.arrayBuffer();
      if (res.status !== 201) throw new Error(`send answered ${res.status}`);
    },
    typing(r, typist) {
      typist.emit('typing', { channelId: channels[r] });
    },
    stop: () => a.stop(),
  };
  void members;
}

function stockHarness(st: StockServer): Harness {
  return {
    label: 'stock socket.io 4.8 (in memory, 1 process)',
    serverPids: () => st.pids(),
    connPids: () => st.pids(),
    gc: () => st.gc(),
    gcPauses: () => st.gcPauses(),
    async connect(r) {
      const s = await client(st.base, {});
      await s.timeout(30_000).emitWithAck('join', `room-${r}`);
      return s;
    },
    async send(r, n, sentAt, sender) {
      await sender
        .timeout(30_000)
        .emitWithAck('send', { room: `room-${r}`, message: { body: `t=${sentAt} n=${n}` } });
    },
    typing(r, typist) {
      typist.emit('typing', { room: `room-${r}`, memberId: 'x' });
    },
    stop: () => st.stop(),
  };
}

describe('chat fan-out: 2,000 clients in 100 rooms, 1 msg/s per room plus typing', () => {
  const rows: Row[] = [];
  const load: string[] = [];
  beforeAll(() => pinLoadGenerator());
  afterAll(() => {
    const [ours, stock] = rows;
    const line = (r: Row) => [
      r.server,
      `${r.sent}/${r.attempted}`,
      String(r.stored),
      `${r.delivered}/${r.expected}`,
      fmt(((r.expected - r.delivered) / Math.max(1, r.expected)) * 100, 2),
      fmt(r.p50, 2),
      fmt(r.p99, 2),
      fmt(r.kbPerConn, 1),
      fmt(r.stored / Math.max(r.cpuSeconds, 0.01), 0),
      fmt(r.cpuSeconds, 1),
      String(r.typingDelivered),
    ];
    console.log(
      `\nchat fan-out: ${ROOMS} rooms × ${PER_ROOM} clients, 1 msg/s per room for ${SECONDS} s (first ${WARMUP_SECONDS} s not counted), typing every 2 s; load average ${load.join(' → ')}\n` +
        table(
          [
            'server',
            'sent',
            'stored',
            'delivered',
            'loss %',
            'p50 ms',
            'p99 ms',
            'KB/conn',
            'msgs/CPU-s',
            'CPU s',
            'typing',
          ],
          rows.map(line),
        ),
    );
    if (ours && stock)
      console.log(
        `ratios ours/stock: p50 ×${fmt(ours.p50 / stock.p50, 1)}, p99 ×${fmt(ours.p99 / stock.p99, 1)}, ` +
          `KB/conn ×${fmt(ours.kbPerConn / stock.kbPerConn, 2)}, msgs per CPU-s ×${fmt(
            ours.stored / ours.cpuSeconds / (stock.stored / stock.cpuSeconds),
            2,
          )}`,
      );
  });

  afterAll(() => {
    const [ours] = rows;
    if (!ours) return;
    // serverPids: nats-server, the store, chat, then the gateways.
    const names = [
      'nats-server',
      'store',
      'chat',
      ...ours.processSeconds.slice(3).map((_, i) => `gateway ${i + 1}`),
    ];
    console.log(
      `ours, CPU per message by process: ` +
        ours.processSeconds
          .map((sec, i) => `${names[i]} ${fmt((sec * 1000) / Math.max(1, ours.stored), 2)} ms`)
          .join(', '),
    );
  });

  it('ours, then the stock server, in the same run', async () => {
    load.push(loadavg()[0]!.toFixed(1));
    const a = await startAgoraChat(2);
    try {
      const members = Array.from({ length: ROOMS }, () => Array.from({ length: PER_ROOM }, hex24));
      const tokens = await Promise.all(
        members.map((room) => Promise.all(room.map((id) => a.token(id)))),
      );
      const channels: string[] = [];
      for (let r = 0; r < ROOMS; r += 1) {
        const res = await fetch(`${a.gateways[0]}/api/dms`, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${tokens[r]![0]}`,
            'content-type': 'application/json',
            'x-forwarded-for': `10.1.0.${r % 250}`,
          },
          body: JSON.stringify({ memberIds: members[r]!.slice(1) }),
        });
        expect(res.status).toBe(200);
        channels.push(((await res.json()) as { id: string }).id);
      }
      rows.push(await run(agoraHarness(a, channels, members, tokens)));
    } catch (err) {
      console.log(a.logs());
      throw err;
    } finally {
      await a.stop();
    }
    load.push(loadavg()[0]!.toFixed(1));
    const st = await startStock();
    try {
      rows.push(await run(stockHarness(st)));
    } finally {
      await st.stop();
    }
    load.push(loadavg()[0]!.toFixed(1));
    for (const r of rows) expect(r.sent, r.server).toBeGreaterThan(0);
  });
});
