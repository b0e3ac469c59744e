// MED Points: events processed per second with the exactly-once checks (every award keyed in the
// ledger, applied once to the balance), and leaderboard latency at 100 000 members.
import { randomBytes, randomUUID } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildEnvelope } from '@agora/platform';
import {
  BalanceMovesRepository,
  keysOf,
  startPointsHarness,
  type PointsHarness,
} from '@agora/points/testing';
import { identityEvents, pointsRpc, streams, type EventDef } from '@agora/proto';
import { storeCli } from '../support/store.js';
import { CpuMeter } from './support/proc-stats.js';
import { spawnStore, stopStore, type SpawnedStore } from './support/store-process.js';

const id24 = () => randomBytes(12).toString('hex');
const EVENTS = Number(process.env['POINTS_BENCH_EVENTS'] ?? 20_000);
/**
 * Events handled first and not counted (their own line is printed): without them a short run
 * measures mostly the JIT warming up (5,000 events cost 0.55–0.69 CPU-ms each from cold, 0.31
 * once warm).
 */
const WARMUP = Number(process.env['POINTS_BENCH_WARMUP'] ?? 5_000);
const MEMBERS = Number(process.env['POINTS_BENCH_MEMBERS'] ?? 100_000);
const QUERIES = Number(process.env['POINTS_BENCH_QUERIES'] ?? 100);
/** Directory for V8 CPU profiles of the drain and of the queries (this process), when set. */
const PROFILE_DIR = process.env['POINTS_BENCH_PROFILE'];
/**
 * `process` (default): the store in its own process, as the hub runs it (and production runs
 * MongoDB); `inline`: the embedded store inside this process, beside points.
 */
const STORE_MODE = process.env['POINTS_BENCH_STORE'] === 'inline' ? 'inline' : 'process';

/** Runs `work` under the inspector's CPU profiler when PROFILE_DIR is set (`<name>.cpuprofile`). */
async function profiled<T>(name: string, work: () => Promise<T>): Promise<T> {
  if (!PROFILE_DIR) return work();
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 200 });
  await session.post('Profiler.start');
  try {
    return await work();
  } finally {
    const { profile } = await session.post('Profiler.stop');
    await writeFile(join(PROFILE_DIR, `${name}.cpuprofile`), JSON.stringify(profile));
    session.disconnect();
  }
}

function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

async function publishAll(
  h: PointsHarness,
  list: Array<{ def: EventDef; data: unknown; id: string }>,
) {
  // Published in parallel batches: the publisher must not be what is measured.
  for (let i = 0; i < list.length; i += 200) {
    await Promise.all(
      list.slice(i, i + 200).map((e) =>
        h.bus.js.publish(
          e.def.subject,
          JSON.stringify(
            buildEnvelope(e.def, {
              id: e.id,
              actor: null,
              subject: 'bench',
              data: e.data,
            }),
          ),
          { msgID: randomUUID() },
        ),
      ),
    );
  }
}

describe('points throughput and leaderboards', () => {
  it(`processes ${EVENTS} events (+10% replays) exactly once; leaderboards at ${MEMBERS} members`, async () => {
    const spawned: SpawnedStore | null =
      STORE_MODE === 'process'
        ? await spawnStore(storeCli, { scrubMs: '30000', profileDir: PROFILE_DIR })
        : null;
    // The service's default repair interval: the harness's 500 ms would race the award path.
    const h = await startPointsHarness(
      {
        LOG_LEVEL: 'silent',
        POINTS_RULES_TTL_MS: '2000',
        POINTS_REPAIR_INTERVAL_MS: '30000',
      },
      spawned ? { mongoUrl: spawned.url } : {},
    ).catch(async (err: unknown) => {
      if (spawned) await stopStore(spawned);
      throw err;
    });
    // The CPU of every server-side process: this one (points, and the store when inline) from
    // process.cpuUsage(), the store's own process and nats-server from /proc (they are this
    // process's children, so a meter over this process's tree would count them twice).
    const meters = {
      store: new CpuMeter(() => (spawned?.proc.pid ? [spawned.proc.pid] : [])),
      nats: new CpuMeter(() => [h.nats.pid]),
    };
    const cpuNow = () => {
      const own = process.cpuUsage();
      return {
        points: (own.user + own.system) / 1e6,
        store: meters.store.read(),
        nats: meters.nats.read(),
      };
    };
    const cpuSince = (from: ReturnType<typeof cpuNow>) => {
      const now = cpuNow();
      const by = {
        points: now.points - from.points,
        store: now.store - from.store,
        nats: now.nats - from.nats,
      };
      return { ...by, total: by.points + by.store + by.nats };
    };
    const cpuText = (c: ReturnType<typeof cpuSince>, events: number) =>
      `${c.total.toFixed(1)} CPU-s (points${spawned ? '' : ' + store'} ${c.points.toFixed(1)}${spawned ? `, store ${c.store.toFixed(1)}` : ''}, nats-server ${c.nats.toFixed(1)}) = ${(events / c.total).toFixed(0)} events per CPU-second, ${((1000 * c.total) / events).toFixed(2)} CPU-ms per event`;
    // Registrations and daily logins of `count / 2` distinct members, a tenth replayed.
    const eventsOf = (count: number) => {
      const members = Array.from({ length: count / 2 }, id24);
      const events = members.flatMap((m) => [
        {
          def: identityEvents.memberRegistered,
          data: { memberId: m, invitedBy: null },
          id: randomUUID(),
        },
        {
          def: identityEvents.dailyLoginRecorded,
          data: { memberId: m, day: '2026-12-01', timeZone: 'UTC' },
          id: randomUUID(),
        },
      ]);
      return { members, events, replays: events.filter((_, i) => i % 10 === 0) };
    };
    // Every points.awarded published: the relay's backlog is empty.
    const relayed = async () => {
      while (
        (await h.db.collection('balances').countDocuments({ 'outbox._id': { $type: 'string' } })) >
        0
      )
        await new Promise((r) => setTimeout(r, 20));
    };
    try {
      // 0. Warm-up, not counted.
      const warm = eventsOf(WARMUP);
      if (WARMUP > 0) {
        await publishAll(h, [...warm.events, ...warm.replays]);
        const w0 = performance.now();
        const wcpu = cpuNow();
        await h.drained(1_200_000);
        await relayed();
        const ws = (performance.now() - w0) / 1000;
        const n = warm.events.length + warm.replays.length;
        console.log(
          `points warm-up (not counted): ${n} deliveries in ${ws.toFixed(2)} s = ${(n / ws).toFixed(0)} events/s, every points.awarded published; ${cpuText(cpuSince(wcpu), n)}`,
        );
      }
      // 1. Throughput.
      const { members, events, replays } = eventsOf(EVENTS);
      await publishAll(h, [...events, ...replays]);
      // CPU time of every server process: a figure the machine's load distorts less than
      // wall-clock time.
      const cpu0 = cpuNow();
      const t0 = performance.now();
      await profiled('points-drain', () => h.drained(1_200_000));
      const seconds = (performance.now() - t0) / 1000;
      const cpu = cpuSince(cpu0);
      const delivered = events.length + replays.length;
      const entries = await h.db.collection('entries').countDocuments();
      // Deliveries past the first (an ack that came after ack_wait): work done twice.
      const identity = await h.bus.jsm.consumers.info(streams.identity.name, 'points-identity');
      const redelivered = identity.delivered.consumer_seq - identity.delivered.stream_seq;
      const sum = await h.db
        .collection('balances')
        .aggregate<{ total: number }>([{ $group: { _id: null, total: { $sum: '$balance' } } }])
        .toArray();
      expect(entries).toBe(warm.events.length + events.length);
      expect(sum[0]?.total).toBe((warm.members.length + members.length) * 105);
      console.log(
        `points throughput (store ${STORE_MODE === 'process' ? 'in its own process' : 'inside the points process'}): ${delivered} deliveries (${events.length} events, ${replays.length} replays) in ${seconds.toFixed(2)} s = ${(delivered / seconds).toFixed(0)} events/s; ${entries} entries, each once; ${redelivered} redeliveries; ${cpuText(cpu, delivered)}; load average ${loadavg()[0]?.toFixed(1)}`,
      );

      // The live `points.awarded` events trail the acks (the relay publishes them from the
      // balances' outboxes): the same clock and CPU counter until the last one is out, so the
      // queries below measure the queries alone.
      // Polled on the relay's own index (`outbox._id`), so the poll costs little of the CPU counted.
      await profiled('points-relay', relayed);
      const relayedSeconds = (performance.now() - t0) / 1000;
      console.log(
        `points throughput with every points.awarded published: ${delivered} deliveries in ${relayedSeconds.toFixed(2)} s = ${(delivered / relayedSeconds).toFixed(0)} events/s; ${cpuText(cpuSince(cpu0), delivered)}; load average ${loadavg()[0]?.toFixed(1)}`,
      );

      // 2. Leaderboards at MEMBERS balances (written straight into the projection).
      const month = new Date().toISOString().slice(0, 7);
      const countries = ['TN', 'GR', 'ES', 'FR', 'PT', 'IT', 'EG', 'MA'];
      const docs = [];
      for (let i = 0; i < MEMBERS - warm.members.length - members.length; i += 1) {
        const id = id24();
        const balance = Math.floor(Math.random() ** 3 * 6000);
        const monthPoints = Math.floor(balance / 4);
        const country = countries[i % countries.length] ?? 'TN';
        docs.push({
          _id: id,
          balance,
          level: 'Newcomer',
          month,
          monthPoints,
          country,
          rev: 1,
          recent: [],
          pending: [],
          hasPending: false,
          outbox: [],
          ...keysOf(id, balance, month, monthPoints, country),
        });
      }
      for (let i = 0; i < docs.length; i += 5_000)
        await h.db.collection('balances').insertMany(docs.slice(i, i + 5_000) as never[]);
      // Two viewers: one at the top (my rank counts a few keys) and one at the bottom (it counts
      // nearly every key of the board): top N costs the same for both.
      const topId = id24();
      await h.db.collection('balances').insertOne({
        _id: topId,
        balance: 7_000,
        level: 'Ambassador',
        month,
        monthPoints: 1_750,
        country: 'TN',
        rev: 1,
        recent: [],
        pending: [],
        hasPending: false,
        outbox: [],
        ...keysOf(topId, 7_000, month, 1_750, 'TN'),
      } as never);
      const viewers = { top: await h.as(topId), bottom: await h.as(members[0] ?? id24()) };
      await h.call(viewers.bottom, pointsRpc.meGet, { country: 'TN' });
      // Written past the writers: the histograms are recomputed from the balances, as a rebuild does.
      await h.service.app.get(BalanceMovesRepository).recompute();
      for (const [who, viewer] of Object.entries(viewers)) {
        for (const q of [
          { period: 'all', limit: 10 },
          { period: 'month', limit: 10 },
          { period: 'all', country: 'TN', limit: 10 },
          { period: 'month', country: 'TN', limit: 10 },
        ] as const) {
          await h.call(viewer, pointsRpc.leaderboardGet, q); // warms the board's threshold
          const times: number[] = [];
          const queryCpu0 = cpuNow();
          await profiled(
            `points-queries-${who}-${q.period}${'country' in q ? '-country' : ''}`,
            async () => {
              for (let i = 0; i < QUERIES; i += 1) {
                const s = performance.now();
                const board = await h.call(viewer, pointsRpc.leaderboardGet, q);
                times.push(performance.now() - s);
                if (i === 0) expect(board.entries).toHaveLength(10);
              }
            },
          );
          const cpuMs = (1000 * cpuSince(queryCpu0).total) / QUERIES;
          times.sort((a, b) => a - b);
          console.log(
            `points leaderboard ${JSON.stringify(q)} at ${MEMBERS} members, viewer at the ${who}: p50 ${pct(times, 50).toFixed(1)} ms, p99 ${pct(times, 99).toFixed(1)} ms (RPC round trip, top 10 + my rank); ${cpuMs.toFixed(1)} CPU-ms per query (points + store + nats-server + caller); load average ${loadavg()[0]?.toFixed(1)}`,
          );
        }
      }
    } finally {
      await h.stop();
      if (spawned) await stopStore(spawned);
    }
  });
});
