import {
  closeSync,
  constants,
  fstatSync,
  fsync,
  fsyncSync,
  ftruncateSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  unlinkSync,
  write,
} from 'node:fs';
import { promisify } from 'node:util';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { BSON, type Document } from 'bson';
import { ensurePrivateDir, makePrivate, openPrivate } from './private-files.js';

/**
 * Durable storage: snapshot files plus append-only logs of checksummed records.
 *
 * Record = [u32 payload length][u32 crc32 of payload][BSON payload].
 * Generation N = `snapshot-N` (state before log N) + `log-N`, `log-N+1`… appended after it.
 * A write is acknowledged only after its record is on disk. The log is opened with O_DSYNC, so one
 * `pwrite` per batch is the write and its fdatasync in a single syscall (one trip to the thread
 * pool, not two). Group commit: a batch holds every record appended during one turn of the event
 * loop, and every record appended while the previous batch was being written.
 * Files are 0600 in a 0700 directory.
 */

export type JournalRecord =
  | {
      op: 'put';
      db: string;
      coll: string;
      doc: Document;
      /** `doc` as BSON when the writer already serialised it (its size check): not encoded twice. */
      bson?: Uint8Array;
    }
  | { op: 'del'; db: string; coll: string; id: unknown }
  | { op: 'createColl'; db: string; coll: string }
  | { op: 'dropColl'; db: string; coll: string }
  | { op: 'createIndex'; db: string; coll: string; spec: Document }
  | { op: 'dropIndex'; db: string; coll: string; name: string }
  | { op: 'end' };

export class CorruptStoreError extends Error {}

const RECORD_HEADER = 8;

/** Writes a BSON string element (type 0x02, name, int32 length, UTF-8 bytes, NUL) at `o`. */
function writeStringElement(buf: Buffer, o: number, name: string, value: string): number {
  o = buf.writeUInt8(0x02, o);
  o += buf.write(name, o, 'latin1');
  o = buf.writeUInt8(0, o);
  const bytes = Buffer.byteLength(value, 'utf8');
  o = buf.writeInt32LE(bytes + 1, o);
  o += buf.write(value, o, 'utf8');
  return buf.writeUInt8(0, o);
}

/**
 * The record `{ op: 'put', db, coll, doc }`, header included, written around the document's own
 * BSON in one buffer: the bytes BSON.serialize gives the record, without walking the document
 * again.
 */
function encodePut(db: string, coll: string, doc: Uint8Array): Buffer {
  // type + name + NUL + int32 + value + NUL for op, db, coll; type + "doc" + NUL; the final NUL
  const size =
    4 +
    (1 + 2 + 1 + 4 + 3 + 1) +
    (1 + 2 + 1 + 4 + Buffer.byteLength(db, 'utf8') + 1) +
    (1 + 4 + 1 + 4 + Buffer.byteLength(coll, 'utf8') + 1) +
    (1 + 3 + 1) +
    doc.length +
    1;
  const out = Buffer.allocUnsafe(RECORD_HEADER + size);
  let o = out.writeInt32LE(size, RECORD_HEADER);
  o = writeStringElement(out, o, 'op', 'put');
  o = writeStringElement(out, o, 'db', db);
  o = writeStringElement(out, o, 'coll', coll);
  o = out.writeUInt8(0x03, o); // embedded document
  o += out.write('doc', o, 'latin1');
  o = out.writeUInt8(0, o);
  out.set(doc, o);
  out.writeUInt8(0, o + doc.length);
  const payload = out.subarray(RECORD_HEADER);
  out.writeUInt32LE(size, 0);
  out.writeUInt32LE(crc32(payload), 4);
  return out;
}

export function encodeRecord(record: JournalRecord): Buffer {
  if (record.op === 'put' && record.bson) return encodePut(record.db, record.coll, record.bson);
  const payload = BSON.serialize(record);
  const header = Buffer.allocUnsafe(RECORD_HEADER);
  header.writeUInt32LE(payload.length, 0);
  header.writeUInt32LE(crc32(payload), 4);
  return Buffer.concat([header, payload]);
}

/**
 * The bytes of a put record's document (its `doc` element, after the `op`, `db` and `coll`
 * strings, as every writer lays it out): the document's BSON as stored, kept by the replayed
 * version as a written one keeps it. Undefined for any other layout.
 */
function putDocumentBytes(payload: Buffer): Uint8Array | undefined {
  let o = 4;
  while (o < payload.length - 1) {
    const type = payload[o];
    const nameEnd = payload.indexOf(0, o + 1);
    if (nameEnd < 0) return undefined;
    const name = payload.toString('latin1', o + 1, nameEnd);
    o = nameEnd + 1;
    if (type === 0x02) o += 4 + payload.readInt32LE(o);
    else if (type === 0x03 && name === 'doc')
      return payload.subarray(o, o + payload.readInt32LE(o));
    else return undefined;
  }
  return undefined;
}

/**
 * Decodes every record of a file. A damaged record at the very end (torn write) is reported as
 * `tornAt`; damage followed by more data is corruption and throws.
 */
export function decodeRecords(
  buf: Buffer,
  file: string,
): { records: JournalRecord[]; tornAt: number | null } {
  const records: JournalRecord[] = [];
  let offset = 0;
  while (offset < buf.length) {
    const damaged = (reason: string) => {
      // Torn tail: the damaged record runs to the end of the file, nothing valid follows it.
      const len = buf.length - offset >= 4 ? buf.readUInt32LE(offset) : 0;
      if (offset + RECORD_HEADER + len >= buf.length || buf.length - offset < RECORD_HEADER)
        return { records, tornAt: offset };
      throw new CorruptStoreError(
        `${file}: ${reason} at byte ${offset}, followed by more data; refusing to start rather than serve wrong data`,
      );
    };
    if (buf.length - offset < RECORD_HEADER) return damaged('truncated record header');
    const len = buf.readUInt32LE(offset);
    const sum = buf.readUInt32LE(offset + 4);
    if (offset + RECORD_HEADER + len > buf.length) return damaged('truncated record');
    const payload = buf.subarray(offset + RECORD_HEADER, offset + RECORD_HEADER + len);
    if (crc32(payload) !== sum) return damaged('checksum mismatch');
    try {
      const record = BSON.deserialize(payload, { promoteLongs: false }) as JournalRecord;
      if (record.op === 'put') {
        const bson = putDocumentBytes(payload);
        if (bson) record.bson = bson;
      }
      records.push(record);
    } catch {
      return damaged('undecodable record');
    }
    offset += RECORD_HEADER + len;
  }
  return { records, tornAt: null };
}

interface Files {
  snapshot: number | null;
  logs: number[];
}

function listFiles(dir: string): Files {
  let snapshot: number | null = null;
  const logs: number[] = [];
  for (const name of readdirSync(dir)) {
    const s = /^snapshot-(\d+)\.bson$/.exec(name);
    if (s) snapshot = Math.max(snapshot ?? 0, Number(s[1]));
    const l = /^log-(\d+)\.bson$/.exec(name);
    if (l) logs.push(Number(l[1]));
  }
  return { snapshot, logs: logs.sort((a, b) => a - b) };
}

function fsyncDir(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

const writeAsync = promisify(write);
const fsyncAsync = promisify(fsync);

/** Writes all of `buf`; at `position` (pwrite) when given, else at the file's offset. */
async function writeAll(fd: number, buf: Buffer, position: number | null = null): Promise<void> {
  let written = 0;
  while (written < buf.length) {
    const at = position === null ? null : position + written;
    const { bytesWritten } = await writeAsync(fd, buf, written, buf.length - written, at);
    written += bytesWritten;
  }
}

/** The log: each write returns once its data (and the size that reaches it) is on disk. */
const LOG_FLAGS = constants.O_WRONLY | constants.O_CREAT | constants.O_DSYNC;

/** Snapshot records are written in chunks of this size, so other commands run in between. */
const SNAPSHOT_CHUNK = 1024 * 1024;

export class Journal {
  private fd: number | null = null;
  private generation = 0;
  private queue: Buffer[] = [];
  private waiters: { resolve: () => void; reject: (e: Error) => void }[] = [];
  private flushing: Promise<void> | null = null;
  private failed: Error | null = null;
  private rotation: (() => void) | null = null;
  private compacting: Promise<void> | null = null;
  /** Bytes in the current log. */
  logBytes = 0;
  /** Batches written to the logs since start (each one durable write). */
  batches = 0;

  constructor(
    private readonly dir: string,
    private readonly log: (line: string) => void,
  ) {}

  /** Reads the snapshot and logs; returns every record to replay, in order. */
  recover(): JournalRecord[] {
    ensurePrivateDir(this.dir);
    const files = listFiles(this.dir);
    const out: JournalRecord[] = [];
    const base = files.snapshot ?? 0;
    if (files.snapshot !== null) {
      const path = join(this.dir, `snapshot-${files.snapshot}.bson`);
      const { records, tornAt } = decodeRecords(readFileSync(path), path);
      if (tornAt !== null || records.at(-1)?.op !== 'end') {
        throw new CorruptStoreError(
          `${path} is incomplete or damaged; refusing to start rather than serve wrong data`,
        );
      }
      out.push(...records.slice(0, -1));
    }
    const logs = files.logs.filter((g) => g >= base);
    logs.forEach((g, i) => {
      const path = join(this.dir, `log-${g}.bson`);
      const buf = readFileSync(path);
      const { records, tornAt } = decodeRecords(buf, path);
      if (tornAt !== null) {
        if (i !== logs.length - 1) {
          throw new CorruptStoreError(
            `${path} is damaged at byte ${tornAt} but is not the newest log; refusing to start`,
          );
        }
        this.log(
          `agora-store: dropped a torn record at the end of ${path} (byte ${tornAt} of ${buf.length}); it was never acknowledged`,
        );
        const fd = openSync(path, 'r+');
        try {
          ftruncateSync(fd, tornAt);
          fsyncSync(fd);
        } finally {
          closeSync(fd);
        }
      }
      out.push(...records);
    });
    this.generation = logs.at(-1) ?? base;
    // What an interrupted compaction left (older generations, a half-written snapshot) is
    // superseded, and may hold data deleted since: remove it. Keep the rest owner-only.
    for (const name of readdirSync(this.dir)) {
      const m = /^(snapshot|log)-(\d+)\.bson$/.exec(name);
      if ((m && Number(m[2]) < base) || /^snapshot-\d+\.tmp$/.test(name))
        unlinkSync(join(this.dir, name));
      else if (m) makePrivate(join(this.dir, name));
    }
    return out;
  }

  openLog(): void {
    this.fd = openPrivate(join(this.dir, `log-${this.generation}.bson`), LOG_FLAGS);
    this.logBytes = fstatSync(this.fd).size;
    fsyncDir(this.dir);
  }

  /** Appends records; resolves once they are on disk. */
  append(records: JournalRecord[]): Promise<void> {
    if (this.failed) return Promise.reject(this.failed);
    for (const r of records) this.queue.push(encodeRecord(r));
    const done = new Promise<void>((resolve, reject) => this.waiters.push({ resolve, reject }));
    // The first batch starts after the sockets read in this turn of the event loop have had their
    // commands run, so that their records share its write.
    this.flushing ??= new Promise<void>((resolve) => setImmediate(resolve)).then(() =>
      this.flush(),
    );
    return done;
  }

  private async flush(): Promise<void> {
    for (;;) {
      // A compaction switches logs here, between two batches: nothing is being written then.
      this.rotation?.();
      this.rotation = null;
      if (!this.queue.length) break;
      const batch = Buffer.concat(this.queue);
      const waiters = this.waiters;
      this.queue = [];
      this.waiters = [];
      try {
        if (this.fd === null) throw new Error('journal is closed');
        // O_DSYNC: on disk when the write returns. At the log's end by offset, as its only writer.
        await writeAll(this.fd, batch, this.logBytes);
        this.logBytes += batch.length;
        this.batches++;
        for (const w of waiters) w.resolve();
      } catch (err) {
        // The disk refused: memory and disk may now disagree, so every later write is refused too.
        this.failed = new Error(`journal write failed: ${(err as Error).message}`);
        for (const w of [...waiters, ...this.waiters]) w.reject(this.failed);
        this.waiters = [];
        this.queue = [];
      }
    }
    this.flushing = null;
  }

  /**
   * Writes a snapshot of the state as generation N+1 and removes every older file, so what was
   * deleted or overwritten since the last snapshot leaves the disk.
   *
   * 1. Between two journal batches, in one synchronous step: capture the state (references to
   *    immutable documents) and start log N+1. The capture may include records still queued for
   *    the log; they go to log N+1, and replaying a full-document record over a state that already
   *    holds it changes nothing.
   * 2. Write `snapshot-<N+1>.tmp` in chunks while writes go on into log N+1; fsync, rename,
   *    fsync the directory. A crash before the rename recovers from the old snapshot and every
   *    log since, log N+1 included.
   * 3. Remove the older snapshot and logs.
   */
  compact(captureState: () => JournalRecord[]): Promise<void> {
    // One at a time: a second one starts when the first has removed what it superseded.
    const run = (this.compacting ?? Promise.resolve())
      .catch(() => undefined)
      .then(() => this.compactNow(captureState));
    this.compacting = run;
    return run.finally(() => {
      if (this.compacting === run) this.compacting = null;
    });
  }

  private async compactNow(captureState: () => JournalRecord[]): Promise<void> {
    const { state, next } = await this.rotate(captureState);
    const tmp = join(this.dir, `snapshot-${next}.tmp`);
    try {
      const fd = openPrivate(tmp, 'w');
      try {
        let chunk: Buffer[] = [];
        let size = 0;
        for (const r of [...state, { op: 'end' } as const]) {
          const encoded = encodeRecord(r);
          chunk.push(encoded);
          size += encoded.length;
          if (size >= SNAPSHOT_CHUNK) {
            await writeAll(fd, Buffer.concat(chunk));
            chunk = [];
            size = 0;
          }
        }
        await writeAll(fd, Buffer.concat(chunk));
        await fsyncAsync(fd);
      } finally {
        closeSync(fd);
      }
      renameSync(tmp, join(this.dir, `snapshot-${next}.bson`));
    } catch (err) {
      rmSync(tmp, { force: true });
      throw err;
    }
    fsyncDir(this.dir);
    for (const name of readdirSync(this.dir)) {
      const m = /^(snapshot|log)-(\d+)\.bson$/.exec(name);
      if (m && Number(m[2]) < next) unlinkSync(join(this.dir, name));
    }
    fsyncDir(this.dir);
  }

  /** Step 1 of compact(): at once when no batch is being written, else right after it. */
  private rotate(
    captureState: () => JournalRecord[],
  ): Promise<{ state: JournalRecord[]; next: number }> {
    return new Promise((resolve, reject) => {
      const run = () => {
        try {
          if (this.failed) throw this.failed;
          if (this.fd === null) throw new Error('journal is closed');
          const state = captureState();
          const next = this.generation + 1;
          closeSync(this.fd);
          this.fd = null;
          this.generation = next;
          this.openLog();
          resolve({ state, next });
        } catch (caught) {
          const err = caught as Error;
          // Between closing log N and opening log N+1: nothing can be journaled any more.
          if (this.fd === null && !this.failed)
            this.failed = new Error(`journal rotation failed: ${err.message}`);
          reject(err);
        }
      };
      if (this.flushing) this.rotation = run;
      else run();
    });
  }

  async close(): Promise<void> {
    // A compaction still writing its snapshot must finish before the dbpath lock is released.
    while (this.compacting) await this.compacting.catch(() => undefined);
    while (this.flushing) await this.flushing;
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }
}
