// Benchmark: the embedded store's CPU per command, by command shape, through the plain driver,
// for the command mix of the two services that lean on it hardest:
// - chat's send path: a member check (`findOne` by a compound key: find, limit 1), the channel's
//   sequence (`findOneAndUpdate` `$inc`), the message insert (one document, the message schema's
//   5 indexes), the channel's last message (`updateOne` by `_id`, `$set`);
// - points' batch path: an unordered `insertMany` of 500 ledger entries (3 indexes), a bulk
//   update of 500 balances by `{ _id, rev }` (7 indexes: 2 of them change, a move pushed onto a
//   multikey one), and the `updateMany` `$pull` of that batch's moves from the 500 balances;
// - `ping`: what any command costs before the engine does anything (wire, event loop, reply).
// The figure is the store process's CPU time (user + system, /proc) per command and per
// document, beside the 1-min load average. STORE_BENCH_BASE_CLI=<another agora-store.mjs> runs
// the same cells against that build in the same run, alternating builds for STORE_BENCH_ROUNDS
// rounds (default 1); STORE_BENCH_CLI replaces the repository's build; STORE_BENCH_CELL_MS (default
// 2000) sets each cell's length; STORE_BENCH_STRACE=1 counts durable journal writes (fdatasync, or pwrite of an O_DSYNC log) per write cell (tracing inflates CPU);
// STORE_BENCH_PROFILE=<dir> writes a `--cpu-prof` profile of each store. Each store runs with
// `--scrub-after-ms 30000`, so the erasure compaction an overwrite schedules stays out of the
// cells. Asserts nothing about speed.
import { cpus, loadavg } from 'node:os';
import { afterAll, describe, expect, it } from 'vitest';
import { MongoClient, ObjectId, type AnyBulkWriteOperation, type Collection } from 'mongodb';
import { storeCli } from '../support/store.js';
import { fmt, table } from './support/stats.js';
import { countJournalSyncs, cpuMs, spawnStore, stopStore } from './support/store-process.js';

const CELL_MS = Number(process.env.STORE_BENCH_CELL_MS ?? 2_000);
const ROUNDS = Number(process.env.STORE_BENCH_ROUNDS ?? 1);
const PROFILE_DIR = process.env.STORE_BENCH_PROFILE;
const STRACE = process.env.STORE_BENCH_STRACE === '1';
const CHANNELS = 200;
const MEMBERS_PER_CHANNEL = 20;
const MESSAGES = 20_000;
const BALANCES = 10_000;
const BATCH = 500;

interface Row {
  build: string;
  shape: string;
  clients: number;
  commandsPerSec: number;
  docsPerCommand: number;
  cpuUsPerCommand: number;
  perFsync?: number;
  load: number;
}

const rows: Row[] = [];

interface Channel {
  _id: ObjectId;
  name: string;
  seq: number;
  lastMessageAt: Date | null;
  lastMessageId: ObjectId | null;
}
interface Membership {
  _id: ObjectId;
  channelId: ObjectId;
  memberId: string;
  role: string;
  lastReadSeq: number;
}
interface Message {
  _id: ObjectId;
  channelId: ObjectId;
  seq: number;
  authorId: string;
  clientMessageId: string;
  body: string;
  html: string;
  wordPrefixes: string[];
  mentionIds: string[];
  threadOf: ObjectId | null;
  reactions: unknown[];
  createdAt: Date;
  outbox: { _id: ObjectId; type: string; at: Date }[];
}
interface Entry {
  _id: string;
  memberId: string;
  seq: number;
  points: number;
  rule: string;
  applied: boolean;
  at: Date;
}
interface Balance {
  _id: string;
  balance: number;
  rev: number;
  month: string;
  monthPoints: number;
  country: string | null;
  kAll: number;
  kMonth: number;
  kCountry: number | null;
  kCountryMonth: number | null;
  hasPending: boolean;
  moves: { b: string; d: number[] }[];
  outbox: { _id: string; type: string }[];
}

function message(channelId: ObjectId, seq: number, authorId: string): Message {
  const words = ['pilot', 'proposal', 'workshop', 'feedback', 'market', 'call'];
  return {
    _id: new ObjectId(),
    channelId,
    seq,
    authorId,
    clientMessageId: `c-${authorId}-${seq}-${Math.random().toString(36).slice(2, 8)}`,
    body: 'The pilot proposal for the Tunis workshop is ready for feedback.',
    html: '<p>The pilot proposal for the Tunis workshop is ready for feedback.</p>',
    wordPrefixes: words.slice(seq % 3, (seq % 3) + 4),
    mentionIds: [],
    threadOf: null,
    reactions: [],
    createdAt: new Date(),
    outbox: [{ _id: new ObjectId(), type: 'message.sent', at: new Date() }],
  };
}

function balance(i: number): Balance {
  return {
    _id: `m${i}`,
    balance: i % 500,
    rev: 0,
    month: '2026-12',
    monthPoints: i % 50,
    country: ['ES', 'PT', 'GR', 'JO', 'PS', 'TN'][i % 6]!,
    kAll: (i % 500) * 1e6 + i,
    kMonth: (i % 50) * 1e6 + i,
    kCountry: (i % 6) * 1e9 + (i % 500),
    kCountryMonth: (i % 6) * 1e9 + (i % 50),
    hasPending: false,
    moves: [],
    outbox: [],
  };
}

async function runBuild(build: string, cli: string): Promise<void> {
  const store = await spawnStore(cli, { profileDir: PROFILE_DIR, scrubMs: '30000' });
  const pid = store.proc.pid!;
  const client = new MongoClient(store.url, { maxPoolSize: 16, serverSelectionTimeoutMS: 10_000 });
  try {
    await client.connect();
    const db = client.db('bench');
    const channels: Collection<Channel> = db.collection('channels');
    const memberships: Collection<Membership> = db.collection('memberships');
    const messages: Collection<Message> = db.collection('messages');
    const entries: Collection<Entry> = db.collection('entries');
    const balances: Collection<Balance> = db.collection('balances');

    // The chat service's indexes (message.schema.ts, the membership's compound key).
    await memberships.createIndex({ channelId: 1, memberId: 1 }, { unique: true });
    await messages.createIndex({ channelId: 1, seq: 1 }, { unique: true });
    await messages.createIndex({ channelId: 1, authorId: 1, clientMessageId: 1 }, { unique: true });
    await messages.createIndex({ threadOf: 1, seq: 1 });
    await messages.createIndex({ wordPrefixes: 1, channelId: 1 });
    await messages.createIndex({ 'outbox._id': 1 });
    // The points service's (entry.schema.ts, balance.schema.ts).
    await entries.createIndex({ memberId: 1, seq: -1 });
    await entries.createIndex({ applied: 1 });
    await entries.createIndex({ at: 1 });
    for (const k of ['kAll', 'kMonth', 'kCountry', 'kCountryMonth'])
      await balances.createIndex({ [k]: -1 });
    await balances.createIndex({ hasPending: 1 });
    await balances.createIndex({ 'moves.b': 1 });
    await balances.createIndex({ 'outbox._id': 1 });

    const channelIds = Array.from({ length: CHANNELS }, () => new ObjectId());
    await channels.insertMany(
      channelIds.map((_id, i) => ({
        _id,
        name: `channel ${i}`,
        seq: MESSAGES / CHANNELS,
        lastMessageAt: null,
        lastMessageId: null,
      })),
    );
    await memberships.insertMany(
      channelIds.flatMap((channelId) =>
        Array.from({ length: MEMBERS_PER_CHANNEL }, (_, j) => ({
          _id: new ObjectId(),
          channelId,
          memberId: `u${j}`,
          role: 'member',
          lastReadSeq: 0,
        })),
      ),
    );
    for (let i = 0; i < MESSAGES; i += 1_000)
      await messages.insertMany(
        Array.from({ length: 1_000 }, (_, j) =>
          message(channelIds[(i + j) % CHANNELS]!, Math.floor((i + j) / CHANNELS), 'u1'),
        ),
      );
    for (let i = 0; i < BALANCES; i += 1_000)
      await balances.insertMany(Array.from({ length: 1_000 }, (_, j) => balance(i + j)));

    const channel = () => channelIds[Math.floor(Math.random() * CHANNELS)]!;
    let nextSeq = 1_000_000;
    let nextEntry = 0;

    async function cell(
      shape: string,
      clients: number,
      docsPerCommand: number,
      run: (client: number) => Promise<boolean | void>,
      write: boolean,
    ): Promise<void> {
      const warm = Date.now() + 200;
      await Promise.all(
        Array.from({ length: clients }, async (_, c) => {
          while (Date.now() < warm) if ((await run(c)) === false) return;
        }),
      );
      let commands = 0;
      const fsyncs = write && STRACE ? countJournalSyncs(pid) : null;
      const c0 = cpuMs(pid);
      const started = performance.now();
      const until = started + CELL_MS;
      await Promise.all(
        Array.from({ length: clients }, async (_, c) => {
          while (performance.now() < until) {
            if ((await run(c)) === false) return; // nothing left to do (the pulls)
            commands++;
          }
        }),
      );
      const elapsed = (performance.now() - started) / 1000;
      const cpu = cpuMs(pid) - c0;
      const calls = fsyncs ? await fsyncs.stop() : NaN;
      rows.push({
        build,
        shape,
        clients,
        commandsPerSec: commands / elapsed,
        docsPerCommand,
        cpuUsPerCommand: (cpu * 1000) / commands,
        load: loadavg()[0]!,
        ...(fsyncs ? { perFsync: commands / calls } : {}),
      });
    }

    const admin = client.db('admin');
    for (const clients of [1, 16])
      await cell('ping', clients, 0, async () => void (await admin.command({ ping: 1 })), false);

    for (const clients of [1, 16]) {
      await cell(
        'chat: findOne {channelId, memberId} (find limit 1)',
        clients,
        1,
        async () => {
          const m = await memberships.findOne({
            channelId: channel(),
            memberId: `u${Math.floor(Math.random() * MEMBERS_PER_CHANNEL)}`,
          });
          if (!m) throw new Error('membership not found');
        },
        false,
      );
      await cell(
        'chat: findOneAndUpdate _id $inc seq',
        clients,
        1,
        async () => {
          const c = await channels.findOneAndUpdate(
            { _id: channel() },
            { $inc: { seq: 1 } },
            { returnDocument: 'after', projection: { seq: 1 } },
          );
          if (!c) throw new Error('channel not found');
        },
        true,
      );
      await cell(
        'chat: insertOne message, 5 indexes',
        clients,
        1,
        async () => void (await messages.insertOne(message(channel(), nextSeq++, 'u2'))),
        true,
      );
      await cell(
        'chat: updateOne _id $set last message',
        clients,
        1,
        async () => {
          const r = await channels.updateOne(
            { _id: channel() },
            { $set: { lastMessageAt: new Date(), lastMessageId: new ObjectId() } },
          );
          if (r.matchedCount !== 1) throw new Error('channel not updated');
        },
        true,
      );
    }

    await cell(
      'points: insertMany x500 unordered, 3 indexes',
      1,
      BATCH,
      async () => {
        const at = new Date();
        await entries.insertMany(
          Array.from({ length: BATCH }, (_, i) => ({
            _id: `award-${nextEntry++}`,
            memberId: `m${(nextEntry * 7 + i) % BALANCES}`,
            seq: nextEntry,
            points: 5,
            rule: 'proposal.submitted',
            applied: false,
            at,
          })),
          { ordered: false },
        );
      },
      true,
    );

    // Balances are updated in batches of 500 consecutive members (each batch's own `b`), their
    // revision tracked here; the pulls then clear each pushed batch once.
    const revs = new Map<string, number>();
    const pushed: { b: string; ids: string[] }[] = [];
    let nextBatch = 0;
    await cell(
      'points: bulk updateOne x500 {_id, rev}, 7 indexes',
      1,
      BATCH,
      async () => {
        const b = `b${String(nextBatch).padStart(9, '0')}`;
        const first = (nextBatch++ * BATCH) % BALANCES;
        const ids = Array.from({ length: BATCH }, (_, i) => `m${first + i}`);
        const ops: AnyBulkWriteOperation<Balance>[] = ids.map((_id, i) => {
          const rev = revs.get(_id) ?? 0;
          revs.set(_id, rev + 1);
          return {
            updateOne: {
              filter: { _id, rev },
              update: {
                $set: {
                  balance: rev * 5 + i,
                  rev: rev + 1,
                  kAll: rev * 5e6 + i,
                  kMonth: rev * 5e6,
                },
                $push: { moves: { b, d: [rev, 5] } },
              },
            },
          };
        });
        const r = await balances.bulkWrite(ops, { ordered: false });
        if (r.modifiedCount !== BATCH) throw new Error(`bulk update modified ${r.modifiedCount}`);
        pushed.push({ b, ids });
      },
      true,
    );
    await cell(
      'points: updateMany _id $in x500 $pull moves',
      1,
      BATCH,
      async () => {
        const batch = pushed.shift();
        if (!batch) return false;
        const r = await balances.updateMany(
          { _id: { $in: batch.ids } },
          { $pull: { moves: { b: batch.b } } },
        );
        if (r.modifiedCount !== BATCH) throw new Error(`pull modified ${r.modifiedCount}`);
      },
      true,
    );
  } finally {
    await client.close();
    await stopStore(store);
  }
}

describe('embedded store: CPU per command shape', () => {
  afterAll(() => {
    const builds = [...new Set(rows.map((r) => r.build))];
    console.log(
      `\nembedded store per command, ${CELL_MS} ms per cell, ${ROUNDS} round(s), ${cpus().length} cores, Node ${process.version}, ${new Date().toISOString()}\n` +
        table(
          [
            'build',
            'command shape',
            'clients',
            'commands/s',
            'store CPU µs/command',
            'µs/doc',
            'writes/fsync',
            'load',
          ],
          rows.map((r) => [
            r.build,
            r.shape,
            String(r.clients),
            fmt(r.commandsPerSec, 0),
            fmt(r.cpuUsPerCommand, 0),
            r.docsPerCommand > 1 ? fmt(r.cpuUsPerCommand / r.docsPerCommand, 1) : '',
            r.perFsync === undefined ? '' : fmt(r.perFsync, 1),
            fmt(r.load, 1),
          ]),
        ) +
        (builds.length > 1 ? `\n(builds: ${builds.join(', ')})` : ''),
    );
  });

  it('measures each command shape', { timeout: 1_200_000 }, async () => {
    const base = process.env.STORE_BENCH_BASE_CLI;
    for (let round = 0; round < ROUNDS; round++) {
      await runBuild('current', process.env.STORE_BENCH_CLI ?? storeCli);
      if (base) await runBuild('base', base);
    }
    expect(rows.length).toBeGreaterThan(0);
  });
});
