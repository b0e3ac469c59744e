// Fuzz: random bytes and mutated valid frames (truncated, bad lengths, bad opcodes, flipped bits,
// oversize lengths, bad sections, deep nesting) hit the store for STORE_FUZZ_SECONDS (default 30)
// while a well-behaved mongoose client keeps working; every one of its operations must succeed
// and the store process must stay alive. Most fuzz connections authenticate first (as a driver
// does), the others hit the unauthenticated surface. Seeded: set STORE_FUZZ_SEED to replay a run.
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deserialize, Long, type Document } from 'bson';
import { MongoClient } from 'mongodb';
import mongoose, { Schema, type Connection } from 'mongoose';
import { startTestStore, usingRealMongo, type TestStore } from '../support/store.js';
import {
  OP_COMPRESSED,
  OP_MSG,
  OP_REPLY,
  deepBson,
  opMsg,
  opMsgRaw,
  opQuery,
  prng,
  replyHeaders,
} from './fixtures/wire-frames.js';
import { authenticate, credentialsOf, type Credentials } from './fixtures/scram-client.js';

const SECONDS = Number(process.env.STORE_FUZZ_SECONDS ?? 30);
const SEED = Number(process.env.STORE_FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
const FUZZERS = 3;

interface Outcome {
  closedByServer: boolean;
  data: Buffer;
}

/**
 * Sends `chunks` (with small pauses) and collects what comes back until close or `waitMs`; with
 * `auth`, authenticates the connection first (rejects if that fails: no hostile byte was sent yet).
 */
function exchange(
  port: number,
  chunks: Buffer[],
  waitMs: number,
  endAfter = false,
  replyTo?: number,
  auth?: Credentials,
): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const received: Buffer[] = [];
    let closedByServer = false;
    let done = false;
    const sock: Socket = connect({ host: '127.0.0.1', port });
    const finish = () => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      sock.destroy();
      resolve({ closedByServer, data: Buffer.concat(received) });
    };
    const timer = setTimeout(finish, waitMs + 2_000);
    const onData = (d: Buffer) => {
      received.push(d);
      // a reply to the awaited request ends the exchange early
      if (
        replyTo !== undefined &&
        replyHeaders(Buffer.concat(received)).some((r) => r.responseTo === replyTo)
      )
        finish();
    };
    sock.on('end', () => {
      closedByServer = true;
      finish();
    });
    sock.on('close', () => {
      closedByServer = true;
      finish();
    });
    sock.on('error', () => {
      closedByServer = true;
      finish();
    });
    sock.on('connect', () => {
      void (async () => {
        if (auth) {
          try {
            await authenticate(sock, auth);
          } catch (caught) {
            const err = caught as Error;
            done = true;
            clearTimeout(timer);
            sock.destroy();
            reject(err);
            return;
          }
        }
        sock.on('data', onData);
        for (const c of chunks) {
          if (sock.destroyed) break;
          sock.write(c);
          await new Promise((r) => setTimeout(r, 1));
        }
        if (endAfter) sock.end();
        clearTimeout(timer);
        setTimeout(finish, waitMs);
      })();
    });
  });
}

function firstReplyBody(data: Buffer): Document | undefined {
  const [h] = replyHeaders(data);
  if (!h) return undefined;
  if (h.opCode === OP_MSG) return deserialize(data.subarray(21, h.length));
  if (h.opCode === OP_REPLY) return deserialize(data.subarray(36, h.length));
  return undefined;
}

describe.skipIf(usingRealMongo)(
  'store robustness: wire-protocol fuzz [embedded store only: needs to kill or inspect the store process]',
  () => {
    let store: TestStore;
    let conn: Connection;
    const fuzzDb = 'agora_fuzz_target';

    beforeAll(async () => {
      store = await startTestStore({ name: 'fuzz' });
      conn = await mongoose
        .createConnection(store.url, {
          dbName: store.dbName,
          serverSelectionTimeoutMS: 5_000,
          maxPoolSize: 4,
        })
        .asPromise();
    });

    afterAll(async () => {
      await conn?.close();
      await store?.stop();
    });

    it('answers a well-formed handshake and command over a raw socket (the harness speaks the protocol)', async () => {
      const port = Number(new URL(store.url).port);
      const creds = credentialsOf(store.url);
      const legacy = await exchange(port, [opQuery(1, 'admin.$cmd', { ismaster: 1 })], 300);
      expect(replyHeaders(legacy.data)[0]).toMatchObject({ opCode: OP_REPLY, responseTo: 1 });
      expect(firstReplyBody(legacy.data)).toMatchObject({ ismaster: true, ok: 1 });
      const ping = await exchange(port, [opMsg(2, { ping: 1, $db: 'admin' })], 300);
      expect(replyHeaders(ping.data)[0]).toMatchObject({ opCode: OP_MSG, responseTo: 2 });
      expect(firstReplyBody(ping.data)).toMatchObject({ ok: 1 });
      // two pipelined commands get two replies, in order
      const both = await exchange(
        port,
        [Buffer.concat([opMsg(3, { ping: 1, $db: 'admin' }), opMsg(4, { ping: 1, $db: 'admin' })])],
        300,
      );
      expect(replyHeaders(both.data).map((r) => r.responseTo)).toEqual([3, 4]);
      // moreToCome (flag bit 1): executed, never answered — as the driver sends endSessions and w:0 writes
      const MORE_TO_COME = 2;
      const quiet = await exchange(
        port,
        [
          Buffer.concat([
            opMsg(
              5,
              { insert: 'quiet', documents: [{ _id: 'q1' }], $db: fuzzDb },
              [],
              MORE_TO_COME,
            ),
            opMsg(6, { endSessions: [], $db: 'admin' }, [], MORE_TO_COME),
            opMsg(8, { find: 'quiet', filter: {}, $db: fuzzDb }),
          ]),
        ],
        300,
        false,
        undefined,
        creds,
      );
      expect(replyHeaders(quiet.data).map((r) => r.responseTo)).toEqual([8]);
      expect(firstReplyBody(quiet.data)).toMatchObject({
        ok: 1,
        cursor: { firstBatch: [{ _id: 'q1' }] },
      });
      // the same find on a connection that did not authenticate is refused as mongod does
      const anonymous = await exchange(
        port,
        [opMsg(9, { find: 'quiet', filter: {}, $db: fuzzDb })],
        300,
      );
      expect(firstReplyBody(anonymous.data)).toMatchObject({
        ok: 0,
        code: 13,
        codeName: 'Unauthorized',
        errmsg: 'command find requires authentication',
      });
    });

    it('closes the connection (with a log line) on declared lengths that are too small, negative or oversize', async () => {
      const port = Number(new URL(store.url).port);
      for (const length of [0, 4, 15, -1, -2147483648, 0x7fffffff, 64 * 1024 * 1024]) {
        const frame = opMsg(7, { ping: 1, $db: 'admin' });
        frame.writeInt32LE(length, 0);
        const out = await exchange(port, [frame], 1_500);
        expect(out.closedByServer, `declared length ${length} should close the connection`).toBe(
          true,
        );
        expect(
          firstReplyBody(out.data)?.ok,
          `declared length ${length} must not be executed`,
        ).not.toBe(1);
      }
      // each closed connection is explained by one log line
      const closings = () =>
        store
          .logs()
          .split('\n')
          .filter((l) => /closing connection/i.test(l)).length;
      const logDeadline = Date.now() + 3_000; // stderr may trail the socket close a little
      while (closings() < 7 && Date.now() < logDeadline)
        await new Promise((r) => setTimeout(r, 50));
      expect(closings()).toBeGreaterThanOrEqual(7);
    });

    it(
      `survives ${SECONDS} s of random and mutated frames while mongoose keeps working`,
      { timeout: (SECONDS + 60) * 1_000 },
      async () => {
        console.log(
          `store fuzz: seed ${SEED} (replay with STORE_FUZZ_SEED=${SEED}), ${SECONDS} s, ${FUZZERS} fuzzers`,
        );
        const port = Number(new URL(store.url).port);
        const creds = credentialsOf(store.url);
        const Item = conn.model(
          'FuzzItem',
          new Schema({ name: String, n: Number }, { timestamps: true }),
        );
        const deadline = Date.now() + SECONDS * 1_000;
        const kinds = new Map<string, number>();
        let validAnswered = 0;
        const unanswered: string[] = [];

        const validFrames = (rand: () => number, id: number): Buffer[] => [
          opQuery(id, 'admin.$cmd', { ismaster: 1, helloOk: true }),
          opMsg(id, { hello: 1, $db: 'admin' }),
          opMsg(id, { ping: 1, $db: fuzzDb }),
          opMsg(id, {
            find: 'fz',
            filter: { n: { $gt: Math.floor(rand() * 10) } },
            limit: 5,
            $db: fuzzDb,
          }),
          opMsg(id, {
            insert: 'fz',
            documents: [{ n: Math.floor(rand() * 100), s: 'x'.repeat(Math.floor(rand() * 50)) }],
            $db: fuzzDb,
          }),
          opMsg(id, { insert: 'fz', $db: fuzzDb }, [
            { id: 'documents', docs: [{ n: 1 }, { n: 2 }] },
          ]),
          opMsg(id, {
            aggregate: 'fz',
            pipeline: [{ $match: {} }, { $limit: 3 }],
            cursor: {},
            $db: fuzzDb,
          }),
          opMsg(id, {
            getMore: Long.fromNumber(Math.floor(rand() * 1e6)),
            collection: 'fz',
            $db: fuzzDb,
          }),
          opMsg(id, {
            update: 'fz',
            updates: [{ q: { n: 1 }, u: { $inc: { n: 1 } } }],
            $db: fuzzDb,
          }),
        ];

        const mutate = (
          rand: () => number,
          id: number,
        ): { kind: string; chunks: Buffer[]; endAfter: boolean; baseIndex?: number } => {
          const pick = <T>(xs: T[]): T => xs[Math.floor(rand() * xs.length)]!;
          const frames = validFrames(rand, id);
          const baseIndex = Math.floor(rand() * frames.length);
          const base = frames[baseIndex]!;
          const kind = pick([
            'valid',
            'random-bytes',
            'truncated',
            'bad-length',
            'bad-opcode',
            'flipped-bits',
            'oversize-length',
            'valid-then-garbage',
            'bad-section-kind',
            'bad-sequence-size',
            'bad-bson-length',
            'compressed-bogus',
            'deep-nesting',
            'slow-drip',
          ]);
          const frame = Buffer.from(base);
          switch (kind) {
            case 'valid':
              return { kind, chunks: [frame], endAfter: false, baseIndex };
            case 'random-bytes': {
              const b = Buffer.alloc(1 + Math.floor(rand() * 2048));
              for (let i = 0; i < b.length; i += 1) b[i] = Math.floor(rand() * 256);
              return { kind, chunks: [b], endAfter: rand() < 0.5 };
            }
            case 'truncated':
              return {
                kind,
                chunks: [frame.subarray(0, Math.floor(rand() * frame.length))],
                endAfter: rand() < 0.5,
              };
            case 'bad-length':
              frame.writeInt32LE(frame.length + Math.floor(rand() * 64) - 32, 0);
              return { kind, chunks: [frame], endAfter: rand() < 0.5 };
            case 'bad-opcode':
              frame.writeInt32LE(
                pick([0, 1, 1000, 2001, 2002, 2005, 2006, 2010, 2011, 2014, 0x7fffffff, -5]),
                12,
              );
              return { kind, chunks: [frame], endAfter: false };
            case 'flipped-bits': {
              const flips = 1 + Math.floor(rand() * 8);
              for (let i = 0; i < flips; i += 1) {
                const at = Math.floor(rand() * frame.length);
                frame[at] = frame[at]! ^ (1 << Math.floor(rand() * 8));
              }
              return { kind, chunks: [frame], endAfter: false };
            }
            case 'oversize-length':
              frame.writeInt32LE(pick([48 * 1024 * 1024 + 1, 0x7fffffff, 100 * 1024 * 1024]), 0);
              return { kind, chunks: [frame], endAfter: false };
            case 'valid-then-garbage': {
              const junk = Buffer.alloc(1 + Math.floor(rand() * 64));
              for (let i = 0; i < junk.length; i += 1) junk[i] = Math.floor(rand() * 256);
              return { kind, chunks: [frame, junk], endAfter: false };
            }
            case 'bad-section-kind': {
              const m = opMsg(id, { ping: 1, $db: fuzzDb });
              m[20] = pick([2, 3, 7, 255]);
              return { kind, chunks: [m], endAfter: false };
            }
            case 'bad-sequence-size': {
              const m = opMsg(id, { insert: 'fz', $db: fuzzDb }, [
                { id: 'documents', docs: [{ n: 1 }] },
              ]);
              const seqAt = 21 + m.readInt32LE(21) + 1; // after kind-0 body and the kind byte
              m.writeInt32LE(pick([0, 3, 1_000_000, -1, m.length]), seqAt);
              return { kind, chunks: [m], endAfter: false };
            }
            case 'bad-bson-length': {
              const m = opMsg(id, { ping: 1, $db: fuzzDb });
              m.writeInt32LE(pick([0, 4, 5, 1_000_000, -7]), 21);
              return { kind, chunks: [m], endAfter: false };
            }
            case 'compressed-bogus': {
              const body = Buffer.alloc(9 + 32);
              body.writeInt32LE(OP_MSG, 0);
              body.writeInt32LE(1_000_000, 4);
              body[8] = pick([0, 1, 2, 3, 99]);
              const h = Buffer.alloc(16);
              h.writeInt32LE(16 + body.length, 0);
              h.writeInt32LE(id, 4);
              h.writeInt32LE(OP_COMPRESSED, 12);
              return { kind, chunks: [Buffer.concat([h, body])], endAfter: false };
            }
            case 'deep-nesting':
              return {
                kind,
                chunks: [opMsgRaw(id, deepBson(pick([200, 5_000, 50_000])))],
                endAfter: false,
              };
            case 'slow-drip': {
              const cut = 1 + Math.floor(rand() * (frame.length - 1));
              return {
                kind,
                chunks: [frame.subarray(0, cut), frame.subarray(cut)],
                endAfter: false,
              };
            }
            default:
              throw new Error(`unhandled kind ${kind}`);
          }
        };

        const fuzzer = async (index: number) => {
          const rand = prng(SEED + index * 7919);
          let id = 1_000 * (index + 1);
          while (Date.now() < deadline) {
            id += 1;
            const { kind, chunks, endAfter, baseIndex } = mutate(rand, id);
            const auth = rand() < 0.75 ? creds : undefined;
            kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
            if (kind === 'valid') {
              const out = await exchange(port, chunks, 5_000, false, id, auth);
              if (replyHeaders(out.data).some((r) => r.responseTo === id)) validAnswered += 1;
              else
                unanswered.push(`valid frame #${String(baseIndex)} (request ${id}) got no reply`);
            } else {
              await exchange(port, chunks, 40, endAfter, undefined, auth);
            }
          }
        };

        const failures: string[] = [];
        let clientOps = 0;
        const wellBehaved = async () => {
          let i = 0;
          while (Date.now() < deadline) {
            i += 1;
            try {
              const created = await Item.create({ name: `item-${i}`, n: i });
              const found = await Item.findById(created._id).lean();
              if (found?.n !== i) throw new Error(`findById returned ${JSON.stringify(found)}`);
              await Item.updateOne({ _id: created._id }, { $inc: { n: 1 } });
              const listed = await Item.find({ n: { $gte: i } })
                .sort({ n: -1 })
                .limit(3)
                .lean();
              if (listed.length === 0) throw new Error('indexed find returned nothing');
              clientOps += 4;
            } catch (err) {
              failures.push(`${i}: ${err instanceof Error ? err.message : String(err)}`);
            }
            await new Promise((r) => setTimeout(r, 5));
          }
        };

        await Promise.all([wellBehaved(), ...Array.from({ length: FUZZERS }, (_, k) => fuzzer(k))]);
        const total = [...kinds.values()].reduce((a, b) => a + b, 0);
        console.log(
          `store fuzz: ${total} hostile connections (${[...kinds].map(([k, n]) => `${k} ${n}`).join(', ')}); ` +
            `${validAnswered}/${kinds.get('valid') ?? 0} valid frames answered; ${clientOps} mongoose ops OK, ${failures.length} failed`,
        );

        expect(
          failures,
          `mongoose ops failed during fuzzing (seed ${SEED})\n${store.logs()}`,
        ).toEqual([]);
        expect(clientOps).toBeGreaterThan(0);
        expect(unanswered).toEqual([]);
        expect(validAnswered).toBe(kinds.get('valid') ?? 0);
        // the store process is alive and still serves a brand-new client
        expect(store.logs()).not.toContain('[store exited');
        expect(() => process.kill(store.pid!, 0)).not.toThrow();
        const fresh = new MongoClient(store.url, { serverSelectionTimeoutMS: 5_000 });
        try {
          await fresh.connect();
          expect((await fresh.db('admin').command({ ping: 1 })).ok).toBe(1);
          expect(await fresh.db(store.dbName).collection('fuzzitems').countDocuments()).toBe(
            clientOps / 4,
          );
        } finally {
          await fresh.close();
        }
      },
    );
  },
);
