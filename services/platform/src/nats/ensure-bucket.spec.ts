import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { jetstream, StorageType, type JetStreamClient } from '@nats-io/jetstream';
import { Objm } from '@nats-io/obj';
import { connect, nanos, type NatsConnection } from '@nats-io/transport-node';
import { buckets, type BucketDef } from '@agora/proto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNatsServer, type NatsServerHandle } from '../testing/nats-server.js';
import { ensureBucket } from './provision.js';

const MiB = 1024 * 1024;

/** Every file under `dir`. */
function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

function onDisk(dir: string, marker: Buffer): boolean {
  return files(dir).some((f) => readFileSync(f).includes(marker));
}

/** Upload-sized bytes with a marker nobody else wrote. */
function markedBytes(): { bytes: Uint8Array; marker: Buffer } {
  const marker = Buffer.from(`upload-marker-${randomBytes(8).toString('hex')}`);
  return { bytes: Buffer.concat([randomBytes(1000), marker, randomBytes(1000)]), marker };
}

describe('ensureBucket (real nats-server)', () => {
  let server: NatsServerHandle;
  let nc: NatsConnection;
  let js: JetStreamClient;
  let n = 0;
  /** A bucket of its own per test, with the uploads bucket's settings unless told otherwise. */
  const def = (over: Partial<BucketDef> = {}): BucketDef => ({
    ...buckets.uploads,
    name: `SPEC_BUCKET_${++n}`,
    ...over,
  });

  beforeAll(async () => {
    server = await startNatsServer();
    nc = await connect({ servers: server.url });
    js = jetstream(nc);
  });
  afterAll(async () => {
    await nc?.close();
    await server?.stop();
  });

  it('makes the uploads bucket in memory, with its age and size limits: an upload never reaches disk', async () => {
    const bucket = def();
    await ensureBucket(js, bucket);
    const jsm = await js.jetstreamManager();
    const { config } = await jsm.streams.info(`OBJ_${bucket.name}`);
    expect(config.storage).toBe(StorageType.Memory);
    expect(config.max_age).toBe(nanos(buckets.uploads.maxAgeMs));
    expect(config.max_bytes).toBe(buckets.uploads.maxBytes);

    const { bytes, marker } = markedBytes();
    const store = await new Objm(js).open(bucket.name);
    await store.putBlob({ name: 'avatar' }, bytes);
    expect(Buffer.from((await store.getBlob('avatar')) ?? [])).toEqual(Buffer.from(bytes));
    expect(onDisk(server.storeDir, marker)).toBe(false);
  });

  it('the same bytes in a file bucket are on disk (so the scan above can find them)', async () => {
    const bucket = def({ storage: 'file' });
    await ensureBucket(js, bucket);
    const { bytes, marker } = markedBytes();
    const store = await new Objm(js).open(bucket.name);
    await store.putBlob({ name: 'avatar' }, bytes);
    await expect.poll(() => onDisk(server.storeDir, marker), { timeout: 10_000 }).toBe(true);
  });

  it('is idempotent and brings an existing bucket to the limits proto declares', async () => {
    const bucket = def();
    await ensureBucket(js, { ...bucket, maxBytes: 8 * MiB, maxAgeMs: 60_000 });
    const store = await new Objm(js).open(bucket.name);
    await store.putBlob({ name: 'kept' }, new Uint8Array([1, 2, 3]));
    await ensureBucket(js, bucket);
    await ensureBucket(js, bucket);
    const jsm = await js.jetstreamManager();
    const { config } = await jsm.streams.info(`OBJ_${bucket.name}`);
    expect(config.max_bytes).toBe(bucket.maxBytes);
    expect(config.max_age).toBe(nanos(bucket.maxAgeMs));
    // same storage: updated in place, the object is still there
    expect(Buffer.from((await store.getBlob('kept')) ?? [])).toEqual(Buffer.from([1, 2, 3]));
  });

  it('replaces a bucket made with file storage (an install from before) by one in memory, leaving nothing on disk', async () => {
    const bucket = def();
    await new Objm(js).create(bucket.name, { storage: StorageType.File, ttl: nanos(60_000) });
    const { bytes, marker } = markedBytes();
    await (await new Objm(js).open(bucket.name)).putBlob({ name: 'old' }, bytes);
    await expect.poll(() => onDisk(server.storeDir, marker), { timeout: 10_000 }).toBe(true);

    await ensureBucket(js, bucket);
    const jsm = await js.jetstreamManager();
    expect((await jsm.streams.info(`OBJ_${bucket.name}`)).config.storage).toBe(StorageType.Memory);
    expect(onDisk(server.storeDir, marker)).toBe(false);
    const store = await new Objm(js).open(bucket.name);
    expect(await store.get('old')).toBeNull();
    await store.putBlob({ name: 'new' }, new Uint8Array([7]));
    expect(Buffer.from((await store.getBlob('new')) ?? [])).toEqual(Buffer.from([7]));
  });

  it('refuses a new object once the bucket is full, keeping those it holds', async () => {
    const bucket = def({ maxBytes: 256 * 1024 });
    await ensureBucket(js, bucket);
    const store = await new Objm(js).open(bucket.name);
    await store.putBlob({ name: 'first' }, randomBytes(200 * 1024));
    await expect(store.putBlob({ name: 'second' }, randomBytes(200 * 1024))).rejects.toThrow(
      /maximum bytes exceeded/,
    );
    expect((await store.getBlob('first'))?.length).toBe(200 * 1024);
  });
});
