import {
  appendFileSync,
  chmodSync,
  closeSync,
  constants,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BSON, ObjectId } from 'bson';
import { describe, expect, it } from 'vitest';
import {
  CorruptStoreError,
  decodeRecords,
  encodeRecord,
  Journal,
  type JournalRecord,
} from './journal.js';

const put = (i: number): JournalRecord => ({
  op: 'put',
  db: 'd',
  coll: 'c',
  doc: { _id: i, v: 'x'.repeat(10) },
});

async function writeLog(dir: string, records: JournalRecord[]): Promise<void> {
  const j = new Journal(dir, () => {});
  j.recover();
  j.openLog();
  await j.append(records);
  await j.close();
}

describe('journal record encoding', () => {
  it('encodes a put around its document BSON to the bytes of the record serialised whole', () => {
    const doc = { _id: new ObjectId(), n: 1, at: new Date(0), tags: ['a', 'ü'], sub: { x: null } };
    const whole: JournalRecord = { op: 'put', db: 'dé', coll: 'members', doc };
    const around: JournalRecord = { ...whole, bson: BSON.serialize(doc) };
    expect(encodeRecord(around).equals(encodeRecord(whole))).toBe(true);
    const { records } = decodeRecords(encodeRecord(around), 'mem');
    const [{ bson, ...decoded }] = records as [JournalRecord & { bson?: Uint8Array }];
    expect(decoded).toEqual(whole);
    // the document's own bytes come back with it, for the replayed version to keep
    expect(Buffer.from(bson!).equals(Buffer.from(BSON.serialize(doc)))).toBe(true);
    const [del] = decodeRecords(
      encodeRecord({ op: 'del', db: 'd', coll: 'c', id: 1 }),
      'm',
    ).records;
    expect(del).toEqual({ op: 'del', db: 'd', coll: 'c', id: 1 });
  });
});

describe('journal', () => {
  it('round-trips records through encode/decode', () => {
    const buf = Buffer.concat([encodeRecord(put(1)), encodeRecord(put(2))]);
    const { records, tornAt } = decodeRecords(buf, 'x');
    expect(tornAt).toBeNull();
    expect(records.map((r) => (r.op === 'put' ? (r.doc._id as unknown) : null))).toEqual([1, 2]);
  });

  it('drops a torn last record and keeps everything before it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'journal-'));
    await writeLog(dir, [put(1), put(2)]);
    const log = join(dir, 'log-0.bson');
    appendFileSync(log, encodeRecord(put(3)).subarray(0, 12)); // half a record: a crash mid-write
    const lines: string[] = [];
    const j = new Journal(dir, (l) => lines.push(l));
    expect(j.recover()).toHaveLength(2);
    expect(lines.join()).toMatch(/torn record/);
    expect(readFileSync(log).length).toBe(2 * encodeRecord(put(1)).length);
  });

  it('refuses to start when a record in the middle is corrupt', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'journal-'));
    await writeLog(dir, [put(1), put(2), put(3)]);
    const log = join(dir, 'log-0.bson');
    const buf = readFileSync(log);
    buf.writeUInt8(buf.readUInt8(12) ^ 0xff, 12); // flip a byte inside the first payload
    writeFileSync(log, buf);
    expect(() => new Journal(dir, () => {}).recover()).toThrow(CorruptStoreError);
  });

  it('compacts into a snapshot and recovers the same state', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'journal-'));
    const j = new Journal(dir, () => {});
    j.recover();
    j.openLog();
    await j.append([put(1), put(2)]);
    await j.compact(() => [put(1), put(2)]);
    await j.append([put(3)]);
    await j.close();
    expect(readdirSync(dir).sort()).toEqual(['log-1.bson', 'snapshot-1.bson']);
    const records = new Journal(dir, () => {}).recover();
    expect(records.map((r) => (r.op === 'put' ? (r.doc._id as unknown) : null))).toEqual([1, 2, 3]);
  });

  it('refuses a snapshot without its end record', () => {
    const dir = mkdtempSync(join(tmpdir(), 'journal-'));
    writeFileSync(join(dir, 'snapshot-1.bson'), encodeRecord(put(1)));
    expect(() => new Journal(dir, () => {}).recover()).toThrow(/incomplete or damaged/);
  });

  it('compacts while appends go on: the switch waits for the batch being written, nothing is lost', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'journal-'));
    const j = new Journal(dir, () => {});
    j.recover();
    j.openLog();
    const state: JournalRecord[] = [];
    const appends: Promise<void>[] = [];
    const compactions: Promise<void>[] = [];
    for (let i = 0; i < 200; i++) {
      state.push(put(i));
      appends.push(j.append([put(i)]));
      // the capture sees every record appended so far, as the catalog would
      if (i % 50 === 25) compactions.push(j.compact(() => [...state]));
    }
    await Promise.all([...appends, ...compactions]);
    await j.close();
    expect(readdirSync(dir).sort()).toEqual(['log-4.bson', 'snapshot-4.bson']);
    const ids = new Set(
      new Journal(dir, () => {})
        .recover()
        .map((r) => (r.op === 'put' ? (r.doc._id as number) : null)),
    );
    expect(ids.size).toBe(200);
  });

  it('recovers from a compaction cut short before its rename, and removes what it left', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'journal-'));
    await writeLog(dir, [put(1), put(2)]);
    // log-1 was started, snapshot-1 never finished: a crash in the middle of compact()
    writeFileSync(join(dir, 'log-1.bson'), encodeRecord(put(3)));
    writeFileSync(join(dir, 'snapshot-1.tmp'), encodeRecord(put(99)));
    const records = new Journal(dir, () => {}).recover();
    expect(records.map((r) => (r.op === 'put' ? (r.doc._id as unknown) : null))).toEqual([1, 2, 3]);
    expect(readdirSync(dir).sort()).toEqual(['log-0.bson', 'log-1.bson']);
  });

  it('removes the superseded snapshot and logs a compaction cut short after its rename left', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'journal-'));
    await writeLog(dir, [put(1)]);
    writeFileSync(
      join(dir, 'snapshot-1.bson'),
      Buffer.concat([encodeRecord(put(1)), encodeRecord({ op: 'end' })]),
    );
    writeFileSync(join(dir, 'snapshot-0.bson'), encodeRecord({ op: 'end' }));
    writeFileSync(join(dir, 'log-1.bson'), encodeRecord(put(2)));
    const records = new Journal(dir, () => {}).recover();
    expect(records).toHaveLength(2);
    expect(readdirSync(dir).sort()).toEqual(['log-1.bson', 'snapshot-1.bson']);
  });

  it('keeps its files 0600 in a 0700 directory, whatever the umask and the modes found', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'journal-'));
    const previous = process.umask(0o002);
    try {
      // as a store of an older version left them
      writeFileSync(join(dir, 'log-0.bson'), encodeRecord(put(1)), { mode: 0o644 });
      chmodSync(dir, 0o755);
      const j = new Journal(dir, () => {});
      j.recover();
      j.openLog();
      await j.append([put(2)]);
      await j.compact(() => [put(1), put(2)]);
      await j.append([put(3)]);
      await j.close();
      new Journal(join(dir, 'fresh', 'nested'), () => {}).recover();
    } finally {
      process.umask(previous);
    }
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(statSync(join(dir, 'fresh', 'nested')).mode & 0o777).toBe(0o700);
    for (const name of readdirSync(dir).filter((n) => n !== 'fresh'))
      expect(statSync(join(dir, name)).mode & 0o777, name).toBe(0o600);
  });

  /** The descriptor this process holds on `path`, and its open flags (from /proc). */
  function openFile(path: string): { fd: number; flags: number } {
    for (const name of readdirSync('/proc/self/fd')) {
      let target: string;
      try {
        target = readlinkSync(`/proc/self/fd/${name}`);
      } catch {
        continue; // the descriptor readdir itself used
      }
      if (target !== path) continue;
      const info = readFileSync(`/proc/self/fdinfo/${name}`, 'utf8');
      return { fd: Number(name), flags: parseInt(/^flags:\s+(\d+)/m.exec(info)![1]!, 8) };
    }
    throw new Error(`${path} is not open`);
  }

  it('writes the log with O_DSYNC: a batch is on disk when its write returns', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'journal-'));
    const j = new Journal(dir, () => {});
    j.recover();
    j.openLog();
    const { flags } = openFile(join(dir, 'log-0.bson'));
    expect(flags & constants.O_DSYNC).toBe(constants.O_DSYNC);
    await j.compact(() => []);
    expect(openFile(join(dir, 'log-1.bson')).flags & constants.O_DSYNC).toBe(constants.O_DSYNC);
    await j.close();
  });

  it('writes what is appended in one turn of the event loop as one batch, and keeps appending after the end', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'journal-'));
    const j = new Journal(dir, () => {});
    j.recover();
    j.openLog();
    let acked = 0;
    const turn = [1, 2, 3].map((i) => j.append([put(i)]).then(() => acked++));
    await Promise.resolve();
    expect(acked).toBe(0); // nothing acknowledged before its write
    await Promise.all(turn);
    expect(j.batches).toBe(1);
    await j.append([put(4), put(5)]);
    expect(j.batches).toBe(2);
    await j.close();
    // a reopened log is appended to at its end, not written over from its start
    const again = new Journal(dir, () => {});
    again.recover();
    again.openLog();
    await again.append([put(6)]);
    await again.close();
    const ids = new Journal(dir, () => {})
      .recover()
      .map((r) => (r.op === 'put' ? (r.doc._id as number) : null));
    expect(ids).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('refuses every later write once the disk refused one, and acknowledges none of its batch', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'journal-'));
    const j = new Journal(dir, () => {});
    j.recover();
    j.openLog();
    await j.append([put(1)]);
    // the log's descriptor taken away under the journal: its next write fails (EBADF)
    closeSync(openFile(join(dir, 'log-0.bson')).fd);
    const batch = [j.append([put(2)]), j.append([put(3)])];
    for (const p of batch) await expect(p).rejects.toThrow(/journal write failed/);
    await expect(j.append([put(4)])).rejects.toThrow(/journal write failed/);
    expect(j.batches).toBe(1);
  });
});
