import {
  closeSync,
  fdatasync,
  fstatSync,
  fsyncSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  unlinkSync,
  write,
  writeSync,
} from 'node:fs';
import { promisify } from 'node:util';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { BSON, type Document } from 'bson';

/**
 * Durable storage: snapshot files plus append-only logs of checksummed records.
 *
 * Record = [u32 payload length][u32 crc32 of payload][BSON payload].
 * Generation N = `snapshot-N` (state before log N) + `log-N`, `log-N+1`… appended after it.
 * A write is acknowledged only after its record is fsynced (group commit: one fsync covers
 * every record appended while the previous fsync ran).
 */

export type JournalRecord =
  | { op: 'put'; db: string; coll: string; doc: Document }
  | { op: 'del'; db: string; coll: string; id: unknown }
  | { op: 'createColl'; db: string; coll: string }
  | { op: 'dropColl'; db: string; coll: string }
  | { op: 'createIndex'; db: string; coll: string; spec: Document }
  | { op: 'dropIndex'; db: string; coll: string; name: string }
  | { op: 'end' };

export class CorruptStoreError extends Error {}

const RECORD_HEADER = 8;

export function encodeRecord(record: JournalRecord): Buffer {
  const payload = BSON.serialize(record);
  const header = Buffer.allocUnsafe(RECORD_HEADER);
  header.writeUInt32LE(payload.length, 0);
  header.writeUInt32LE(crc32(payload), 4);
  return Buffer.concat([header, payload]);
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
      records.push(BSON.deserialize(payload, { promoteLongs: false }) as JournalRecord);
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
const fdatasyncAsync = promisify(fdatasync);

export class Journal {
  private fd: number | null = null;
  private generation = 0;
  private queue: Buffer[] = [];
  private waiters: { resolve: () => void; reject: (e: Error) => void }[] = [];
  private flushing: Promise<void> | null = null;
  private failed: Error | null = null;
  logBytes = 0;

  constructor(
    private readonly dir: string,
    private readonly log: (line: string) => void,
  ) {}

  /** Reads the snapshot and logs; returns every record to replay, in order. */
  recover(): JournalRecord[] {
    mkdirSync(this.dir, { recursive: true });
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
    // Older generations left by an interrupted compaction are superseded by the snapshot.
    for (const g of files.logs) if (g < base) unlinkSync(join(this.dir, `log-${g}.bson`));
    return out;
  }

  openLog(): void {
    this.fd = openSync(join(this.dir, `log-${this.generation}.bson`), 'a');
    this.logBytes = fstatSync(this.fd).size;
    fsyncDir(this.dir);
  }

  /** Appends records; resolves once they are on disk. */
  append(records: JournalRecord[]): Promise<void> {
    if (this.failed) return Promise.reject(this.failed);
    for (const r of records) this.queue.push(encodeRecord(r));
    const done = new Promise<void>((resolve, reject) => this.waiters.push({ resolve, reject }));
    this.flushing ??= this.flush();
    return done;
  }

  private async flush(): Promise<void> {
    while (this.queue.length) {
      const batch = Buffer.concat(this.queue);
      const waiters = this.waiters;
      this.queue = [];
      this.waiters = [];
      try {
        if (this.fd === null) throw new Error('journal is closed');
        let written = 0;
        while (written < batch.length) {
          const { bytesWritten } = await writeAsync(
            this.fd,
            batch,
            written,
            batch.length - written,
          );
          written += bytesWritten;
        }
        await fdatasyncAsync(this.fd);
        this.logBytes += batch.length;
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
   * Writes a snapshot of the state as generation N+1 and starts log N+1. Runs synchronously once
   * no flush is in flight, so no write can fall between the snapshot and the new log.
   */
  async compact(captureState: () => JournalRecord[]): Promise<void> {
    while (this.flushing) await this.flushing;
    if (this.fd === null) return;
    const next = this.generation + 1;
    const tmp = join(this.dir, `snapshot-${next}.tmp`);
    const fd = openSync(tmp, 'w');
    try {
      for (const r of captureState()) writeSync(fd, encodeRecord(r));
      writeSync(fd, encodeRecord({ op: 'end' }));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, join(this.dir, `snapshot-${next}.bson`));
    closeSync(this.fd);
    this.generation = next;
    this.openLog();
    for (const name of readdirSync(this.dir)) {
      const m = /^(snapshot|log)-(\d+)\.bson$/.exec(name);
      if (m && Number(m[2]) < next) unlinkSync(join(this.dir, name));
    }
    fsyncDir(this.dir);
  }

  async close(): Promise<void> {
    while (this.flushing) await this.flushing;
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }
}
