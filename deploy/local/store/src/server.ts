import { createServer, type Server, type Socket } from 'node:net';
import { Catalog } from './catalog.js';
import { runCommand } from './commands/dispatch.js';
import type { CommandContext } from './commands/context.js';
import { Cursors } from './cursors.js';
import { DbpathLock } from './dbpath-lock.js';
import { Journal, type JournalRecord } from './journal.js';
import { Filter } from './query.js';
import type { Document } from 'bson';
import { encodeReply, FrameReader, parseFrame, ProtocolError, type Request } from './wire.js';

export interface StoreOptions {
  /** 0 picks a free port. */
  port?: number;
  host?: string;
  dbpath: string;
  logger?: (line: string) => void;
  /** Log size that triggers a snapshot + new log. */
  compactAtBytes?: number;
  ttlIntervalMs?: number;
}

export interface RunningStore {
  port: number;
  url: string;
  close(): Promise<void>;
}

/** Starts the embedded store: recovers from disk, then serves the MongoDB wire protocol. */
export async function startStore(options: StoreOptions): Promise<RunningStore> {
  const log = options.logger ?? ((line: string) => process.stderr.write(`${line}\n`));
  const host = options.host ?? '127.0.0.1';
  const compactAt = options.compactAtBytes ?? 64 * 1024 * 1024;
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
  if (journal.logBytes > compactAt / 4) await journal.compact(() => [...catalog.stateRecords()]);

  let compacting = false;
  const persist = async (records: JournalRecord[]): Promise<void> => {
    if (records.length === 0) return;
    await journal.append(records);
    if (!compacting && journal.logBytes > compactAt) {
      compacting = true;
      journal
        .compact(() => [...catalog.stateRecords()])
        .catch((err: Error) => log(`agora-store: compaction failed: ${err.message}`))
        .finally(() => (compacting = false));
    }
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
    await journal.close();
    lock.release();
    throw err;
  }
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;

  return {
    port,
    url: `mongodb://${host}:${port}`,
    close: async () => {
      clearInterval(ttlTimer);
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      });
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
