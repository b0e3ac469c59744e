import { appendFileSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
});
