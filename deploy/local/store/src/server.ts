import { createServer, type Server, type Socket } from 'node:net';
import { Catalog } from './catalog.js';
import { AUTH_DB } from './commands/auth.js';
import { runCommand } from './commands/dispatch.js';
import type { CommandContext, StoreAccount } from './commands/context.js';
import { CompactionScheduler } from './compaction-scheduler.js';
import { randomCredentials, validateCredentials, type StoreCredentials } from './credentials.js';
import { Cursors } from './cursors.js';
import { DbpathLock } from './dbpath-lock.js';
import { Journal, type JournalRecord } from './journal.js';
import { Filter } from './query.js';
import { deriveScramCredentials } from './scram.js';
import type { Document } from 'bson';
import { encodeReply, FrameReader, parseFrame, ProtocolError, type Request } from './wire.js';

export interface StoreOptions {
  /** 0 picks a free port. */
  port?: number;
  host?: string;
  dbpath: string;
  logger?: (line: string) => void;
  /**
   * The one user the store accepts (SCRAM-SHA-256, defined in `admin`). Without it a random
   * one is made for this run, carried by `url`: the store never serves unauthenticated clients.
   */
  auth?: StoreCredentials;
  /** Log size that triggers a snapshot + new log. */
  compactAtBytes?: number;
  /** Longest wait between a write that erases data and the compaction that scrubs it from disk. */
  scrubAfterMs?: number;
  ttlIntervalMs?: number;
}

export interface RunningStore {
  port: number;
  /** `mongodb://<user>:<password>@<host>:<port>/?authSource=admin`: a secret, never log it. */
  url: string;
  /** `mongodb://<host>:<port>`, for log lines. */
  address: string;
  close(): Promise<void>;
}

/** Within the 30 s the store promises; bursts of deletes share one compaction. */
const SCRUB_AFTER_MS = 10_000;

/** Starts the embedded store: recovers from disk, then serves the MongoDB wire protocol. */
export async function startStore(options: StoreOptions): Promise<RunningStore> {
  const log = options.logger ?? ((line: string) => process.stderr.write(`${line}\n`));
  const host = options.host ?? '127.0.0.1';
  const credentials = options.auth
    ? validateCredentials(options.auth, 'startStore auth')
    : randomCredentials();
  // Connections are checked against the derived keys only; the password lives on in `url` alone,
  // handed back to the caller that chose it.
  const account: StoreAccount = {
    user: credentials.user,
    scram: deriveScramCredentials(credentials.password),
  };
  const catalog = new Catalog();
  const cursors = new Cursors();
  const lock = await DbpathLock.acquire(options.dbpath);
  const journal = new Journal(options.dbpath, log);
  let recovered: JournalRecord[];
  try {
    recovered = journal.recover();
  } catch (err) {
    lock.release();
    throw err;
  }
  for (const r of recovered) catalog.replay(r);
  journal.openLog();
  const compactAtBytes = options.compactAtBytes ?? 64 * 1024 * 1024;
  const scheduler = new CompactionScheduler(journal, catalog, {
    compactAtBytes,
    scrubAfterMs: options.scrubAfterMs ?? SCRUB_AFTER_MS,
    log,
  });
  if (journal.logBytes > compactAtBytes / 4) await scheduler.compactNow();
  // The logs replayed may hold deletions a crash kept from being scrubbed.
  scheduler.check();

  const persist = async (records: JournalRecord[]): Promise<void> => {
    if (records.length === 0) return;
    await journal.append(records);
    scheduler.check();
  };

  const sockets = new Set<Socket>();
  let connectionIds = 0;
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    const ctx: CommandContext = {
      catalog,
      cursors,
      journal,
      connectionId: ++connectionIds,
      remote: `${socket.remoteAddress}:${socket.remotePort}`,
      account,
      auth: { user: null, conversation: null },
      log,
      persist,
    };
    const reader = new FrameReader();
    let chain = Promise.resolve();
    socket.setNoDelay(true);
    socket.on('data', (chunk) => {
      let frames;
      try {
        frames = reader.push(chunk);
      } catch (err) {
        log(
          `agora-store: closing connection ${ctx.connectionId} from ${socket.remoteAddress}: ${(err as Error).message}`,
        );
        socket.destroy();
        return;
      }
      for (const frame of frames) {
        // Commands of one connection run in order; replies follow the same order.
        chain = chain.then(async () => {
          if (socket.destroyed) return;
          let request;
          try {
            request = parseFrame(frame);
          } catch (err) {
            const why =
              err instanceof ProtocolError ? err.message : `unexpected ${(err as Error).message}`;
            log(`agora-store: closing connection ${ctx.connectionId}: malformed message: ${why}`);
            socket.destroy();
            return;
          }
          try {
            const reply = await runCommand(request.command, ctx);
            if (!request.moreToCome && !socket.destroyed)
              socket.write(encodeOrRefuse(request, reply));
          } catch (err) {
            // Never let one request break the chain (or the process): drop this connection.
            log(
              `agora-store: closing connection ${ctx.connectionId}: cannot answer: ${(err as Error).message}`,
            );
            socket.destroy();
          }
        });
      }
    });
    socket.on('error', () => socket.destroy());
    socket.on('close', () => sockets.delete(socket));
  });

  // TTL: delete expired documents durably, like any delete.
  const ttlTimer = setInterval(() => {
    void expireDocuments(catalog, persist).catch((err: Error) =>
      log(`agora-store: TTL pass failed: ${err.message}`),
    );
    cursors.reapIdle();
  }, options.ttlIntervalMs ?? 1000);
  ttlTimer.unref();

  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, host, () => resolve());
    });
  } catch (err) {
    // e.g. EADDRINUSE: leave the dbpath free for the next attempt.
    clearInterval(ttlTimer);
    await scheduler.close();
    await journal.close();
    lock.release();
    throw err;
  }
  const bound = server.address();
  const port = typeof bound === 'object' && bound ? bound.port : 0;

  const address = `mongodb://${host}:${port}`;
  const secret = `${encodeURIComponent(credentials.user)}:${encodeURIComponent(credentials.password)}`;

  return {
    port,
    url: `mongodb://${secret}@${host}:${port}/?authSource=${AUTH_DB}`,
    address,
    close: async () => {
      clearInterval(ttlTimer);
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      });
      // What was erased since the last snapshot leaves the disk before the store stops.
      await scheduler.close();
      await journal.close();
      lock.release();
    },
  };
}

const EARLIEST_DATE = new Date(-8.64e15);

async function expireDocuments(
  catalog: Catalog,
  persist: (r: JournalRecord[]) => Promise<void>,
): Promise<void> {
  const records: JournalRecord[] = [];
  const now = Date.now();
  for (const colls of catalog.dbs.values()) {
    for (const c of colls.values()) {
      for (const index of c.indexes.values()) {
        const ttl = index.spec.expireAfterSeconds;
        if (ttl === undefined) continue;
        const field = index.fields[0]!;
        const cutoff = new Date(now - ttl * 1000);
        // Dates only, as mongod: the range starts at the earliest date, so the pass walks just
        // the index's dates (not every null or number below them); the filter re-checks arrays.
        const expired = new Filter({ [field]: { $gte: EARLIEST_DATE, $lte: cutoff } });
        for (const doc of c.find(expired)) {
          c.remove(doc);
          records.push({ op: 'del', db: c.db, coll: c.name, id: doc._id });
        }
      }
    }
  }
  await persist(records);
}

/** A reply too large for BSON (e.g. a 20 MB $group result) becomes an error, as mongod does. */
function encodeOrRefuse(request: Request, reply: Document): Buffer {
  try {
    return encodeReply(request, reply);
  } catch (err) {
    return encodeReply(request, {
      ok: 0,
      errmsg: `the reply exceeds the maximum BSON size (16 MiB): ${(err as Error).message}`,
      code: 10334,
      codeName: 'BSONObjectTooLarge',
    });
  }
}
