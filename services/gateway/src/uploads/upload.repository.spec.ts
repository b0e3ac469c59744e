import { randomBytes } from 'node:crypto';
import { buckets } from '@agora/proto';
import { createLogger, NatsService, RpcFailure } from '@agora/platform';
import { startNatsServer, type NatsServerHandle } from '@agora/platform/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UploadRepository } from './upload.repository.js';

const logger = createLogger('upload-repository-spec', 'silent');

describe('UploadRepository (real nats-server)', () => {
  let server: NatsServerHandle;
  let nats: NatsService;
  let uploads: UploadRepository;

  beforeAll(async () => {
    server = await startNatsServer();
    // The uploads bucket as proto declares it, but small enough to fill in a test.
    nats = new NatsService({
      url: server.url,
      name: 'gateway',
      logger,
      provisions: { buckets: [{ ...buckets.uploads, maxBytes: 256 * 1024 }] },
    });
    await nats.ready(10_000);
    uploads = new UploadRepository(nats);
  });
  afterAll(async () => {
    await nats?.drain();
    await server?.stop();
  });

  it('stores an upload under a fresh random id, readable by name until removed', async () => {
    const bytes = randomBytes(10_000);
    const id = await uploads.put(bytes, 'image/png');
    expect(id).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(await uploads.put(bytes, 'image/png')).not.toBe(id);
    const store = await nats.objectStore(buckets.uploads.name);
    expect(Buffer.from((await store.getBlob(id)) ?? [])).toEqual(bytes);
    expect((await store.info(id))?.description).toBe('image/png');
    await uploads.remove(id);
    expect(await store.getBlob(id)).toBeNull();
  });

  it('answers UNAVAILABLE when the bucket is full, and takes uploads again once room is made', async () => {
    const first = await uploads.put(randomBytes(150 * 1024), 'image/jpeg');
    const refused = await uploads.put(randomBytes(150 * 1024), 'image/jpeg').then(
      () => null,
      (err: unknown) => err,
    );
    expect(refused).toBeInstanceOf(RpcFailure);
    expect((refused as RpcFailure).body).toMatchObject({ code: 'UNAVAILABLE' });
    await uploads.remove(first);
    await expect(uploads.put(randomBytes(150 * 1024), 'image/jpeg')).resolves.toMatch(/^\S{32}$/);
  });

  it('gets its bucket back after a server restart (memory storage does not survive one)', async () => {
    const before = await uploads.put(randomBytes(1000), 'image/png');
    await server.kill();
    await server.restart();
    // the upload in flight is lost with the server; the bucket is made again on reconnect
    await expect
      .poll(() => uploads.put(randomBytes(1000), 'image/png').catch(() => null), {
        timeout: 20_000,
        interval: 250,
      })
      .toMatch(/^\S{32}$/);
    const store = await nats.objectStore(buckets.uploads.name);
    expect(await store.getBlob(before)).toBeNull();
  }, 30_000);
});
