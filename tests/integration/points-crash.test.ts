// The points service killed with SIGKILL in the middle of a stream, twice, then restarted: JetStream
// redelivers what it had not acked, and the balances equal those computed straight from the rules
// (no double award, nothing lost); the leaderboard histograms count every balance once; the rebuild
// agrees with the projection.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AccessTokenSigner,
  buildEnvelope,
  createLogger,
  ensureStream,
  NatsService,
  RpcClient,
} from '@agora/platform';
import {
  freePort,
  startNatsServer,
  testAccessKeys,
  type NatsServerHandle,
} from '@agora/platform/testing';
import { cellsOf, referenceBalances, type StreamEvent } from '@agora/points/testing';
import { forumEvents, identityEvents, pointsRpc, streams, type EventDef } from '@agora/proto';
import { startStore, type RunningStore } from '@agora/store';
import { MongoClient, type Db } from 'mongodb';

const require = createRequire(import.meta.url);
/** The built service's entry (`npm run build -w @agora/points`). */
const pointsMain = join(dirname(require.resolve('@agora/points')), 'main.js');
const id24 = () => randomBytes(12).toString('hex');

interface Planned extends StreamEvent {
  def: EventDef;
  raw: Record<string, unknown>;
}

/** Registrations, logins, posts (some deleted), comments and likes (some withdrawn) of `n` members. */
function stream(n: number): Planned[] {
  const out: Planned[] = [];
  let t = Date.parse('2026-12-01T02:00:00Z');
  const add = (def: EventDef, raw: Record<string, unknown>) => {
    t += 7;
    const data: Record<string, string> = {};
    for (const [k, v] of Object.entries(raw)) if (typeof v === 'string') data[k] = v;
    out.push({ id: randomUUID(), type: def.type, occurredAt: new Date(t), data, def, raw });
  };
  const members = Array.from({ length: n }, id24);
  const posts: Array<{ postId: string; authorId: string }> = [];
  members.forEach((m, i) => {
    add(identityEvents.memberRegistered, { memberId: m, invitedBy: null });
    add(identityEvents.dailyLoginRecorded, { memberId: m, day: '2026-12-01', timeZone: 'UTC' });
    if (i % 2 === 0) add(identityEvents.profileCompleted, { memberId: m, fields: ['bio'] });
    const post = { postId: id24(), authorId: m };
    posts.push(post);
    add(forumEvents.postPublished, { ...post, spaceId: null, tags: [] });
    if (i % 5 === 0) add(forumEvents.postDeleted, post);
  });
  members.forEach((m, i) => {
    for (let k = 1; k <= 6; k += 1) {
      const p = posts[(i + k * 7) % posts.length];
      if (!p) continue;
      const like = { targetType: 'post', targetId: p.postId, likerId: m, authorId: p.authorId };
      add(forumEvents.likeGiven, like);
      if (k % 3 === 0) add(forumEvents.likeWithdrawn, like);
      add(forumEvents.commentWritten, { commentId: id24(), postId: p.postId, authorId: m });
    }
  });
  return out;
}

describe('points: kill -9 mid-stream, restart, redelivery', () => {
  let nats: NatsServerHandle;
  let store: RunningStore;
  let dbpath: string;
  let bus: NatsService;
  let client: MongoClient;
  let db: Db;
  let child: ChildProcess | undefined;
  let env: Record<string, string>;
  let healthPort: number;
  const keys = testAccessKeys();

  async function startPoints(): Promise<void> {
    const proc = spawn(process.execPath, [pointsMain], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    child = proc;
    const deadline = Date.now() + 30_000;
    for (;;) {
      const res = await fetch(`http://127.0.0.1:${healthPort}/readyz`).catch(() => undefined);
      if (res?.status === 200) return;
      if (proc.exitCode !== null) throw new Error('points exited before it was ready');
      if (Date.now() > deadline) throw new Error('points not ready within 30 s');
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  async function kill9(): Promise<void> {
    const proc = child;
    if (!proc || proc.exitCode !== null) return;
    const exited = new Promise<void>((r) => proc.once('exit', () => r()));
    proc.kill('SIGKILL');
    await exited;
  }

  async function drained(): Promise<void> {
    const deadline = Date.now() + 90_000;
    for (;;) {
      let pending = 0;
      for (const [s, d] of [
        [streams.identity.name, 'points-identity'],
        [streams.chat.name, 'points-chat'],
      ] as const) {
        const info = await bus.jsm.consumers.info(s, d);
        pending += info.num_pending + info.num_ack_pending;
      }
      if (pending === 0) return;
      if (Date.now() > deadline) throw new Error(`${pending} events still pending`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  beforeAll(async () => {
    nats = await startNatsServer();
    dbpath = await mkdtemp(join(tmpdir(), 'agora-points-crash-'));
    store = await startStore({ port: 0, dbpath, logger: () => undefined });
    healthPort = await freePort();
    env = {
      NATS_URL: nats.url,
      MONGO_URL: store.url,
      AUTH_PUBLIC_KEY: keys.publicKey,
      HEALTH_PORT: String(healthPort),
      LOG_LEVEL: 'warn',
      POINTS_REPAIR_INTERVAL_MS: '1000',
    };
    bus = new NatsService({
      url: nats.url,
      name: 'points-crash-test',
      logger: createLogger('test', 'silent'),
    });
    bus.start();
    await bus.ready(10_000);
    for (const s of [streams.identity, streams.spaces, streams.chat])
      await ensureStream(bus.jsm, s);
    client = new MongoClient(store.url);
    await client.connect();
    db = client.db('agora_points');
  }, 60_000);

  afterAll(async () => {
    await kill9();
    await bus?.drain();
    await client?.close();
    await store?.close();
    await nats?.stop();
    if (dbpath) await rm(dbpath, { recursive: true, force: true });
  });

  it('ends with the balances the rules promise, each award once, and a rebuild that agrees', async () => {
    await startPoints();
    const events = stream(100);
    // Every event, and a fifth of them again (a replay of the same envelope), published up front.
    const deliveries = [...events, ...events.filter((_, i) => i % 5 === 0)];
    for (const e of deliveries) {
      const envelope = buildEnvelope(e.def, {
        id: e.id,
        actor: null,
        subject: 'crash',
        data: e.raw,
        occurredAt: e.occurredAt.toISOString(),
      });
      await bus.js.publish(e.def.subject, JSON.stringify(envelope), { msgID: randomUUID() });
    }
    // Killed twice while entries are being written.
    for (let round = 0; round < 2; round += 1) {
      const before = await db.collection('entries').countDocuments();
      const deadline = Date.now() + 30_000;
      while ((await db.collection('entries').countDocuments()) < before + 100) {
        if (Date.now() > deadline) throw new Error('no progress before the kill');
        await new Promise((r) => setTimeout(r, 20));
      }
      await kill9();
      await startPoints();
    }
    await drained();

    const signer = new AccessTokenSigner(keys.signingKey);
    const admin = (await signer.sign({ sub: id24(), role: 'admin' })).token;
    const rpc = new RpcClient(bus, 60_000);
    const { rules } = await rpc.call(pointsRpc.rulesGet, {}, { actorToken: admin });
    const expected = referenceBalances(rules, events);
    // The repair runs every second and takes over the apply intents a kill left once they are
    // 15 s old (their entries' events were redelivered and applied meanwhile): none is left.
    const deadline = Date.now() + 40_000;
    while ((await db.collection('apply_intents').countDocuments()) > 0) {
      if (Date.now() > deadline) throw new Error('apply intents left behind');
      await new Promise((r) => setTimeout(r, 200));
    }
    const balances = await db
      .collection<{ _id: string; balance: number }>('balances')
      .find()
      .toArray();
    const actual = new Map(balances.map((b) => [b._id, b.balance]));
    let differing = 0;
    for (const [member, points] of expected)
      if ((actual.get(member) ?? 0) !== points) differing += 1;
    expect(differing).toBe(0);
    expect(balances.length).toBe(expected.size);
    // The leaderboard histograms, as kept through the kills, count every balance once: the moves
    // a kill left in balances are folded by the repair (once they are 15 s old), none twice.
    const histogramsDeadline = Date.now() + 40_000;
    while ((await db.collection('balances').countDocuments({ 'moves.0': { $exists: true } })) > 0) {
      if (Date.now() > histogramsDeadline) throw new Error('histogram moves left unfolded');
      await new Promise((r) => setTimeout(r, 250));
    }
    const cells = new Map<string, number>();
    for (const b of await db
      .collection<{ balance: number; month: string; monthPoints: number; country: string | null }>(
        'balances',
      )
      .find()
      .toArray())
      for (const cell of cellsOf(b)) cells.set(cell, (cells.get(cell) ?? 0) + 1);
    const kept = new Map<string, number>();
    for (const h of await db
      .collection<{ _id: string; counts: Record<string, number> }>('histograms')
      .find()
      .toArray())
      for (const [bucket, n] of Object.entries(h.counts))
        if (n !== 0) kept.set(`${h._id}|${bucket.slice(1)}`, n);
    expect(Object.fromEntries([...kept].sort())).toEqual(Object.fromEntries([...cells].sort()));
    const rebuilt = await rpc.call(pointsRpc.rebuild, {}, { actorToken: admin });
    expect(rebuilt.mismatches).toEqual([]);
    expect(rebuilt.members).toBe(expected.size);
  }, 240_000);
});
