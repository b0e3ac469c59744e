import { createLogger, NatsService } from '@agora/platform';
import { startNatsServer, type NatsServerHandle } from '@agora/platform/testing';
import { natsServerUser } from '@agora/proto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PresenceKvRepository, type PresenceKey } from './presence-kv.repository.js';

const logger = createLogger('presence-kv-spec', 'silent');
const space = 'a'.repeat(24);
const alice = '1'.repeat(24);
const bob = '2'.repeat(24);

/**
 * The bucket as the gateway's user reaches it under `npm start`: a nats-server admitting only the
 * users proto derives, so a JetStream call the presence code makes without a declared permission
 * fails here (a request rejected, or an asynchronous error on the connection).
 */
describe('PresenceKvRepository under the gateway bus permissions', () => {
  const password = 'gw-presence-password-1';
  let server: NatsServerHandle;
  let nats: NatsService;
  let repo: PresenceKvRepository;
  const connectionErrors: string[] = [];

  beforeAll(async () => {
    server = await startNatsServer({
      config: ({ port, storeDir }) =>
        [
          `listen: "127.0.0.1:${port}"`,
          `jetstream: ${JSON.stringify({ store_dir: storeDir })}`,
          `authorization: ${JSON.stringify({ users: [natsServerUser('gateway', password)] })}`,
        ].join('\n'),
      credentials: { user: 'gateway', pass: password },
    });
    nats = new NatsService({
      url: server.url,
      name: 'gateway',
      user: 'gateway',
      pass: password,
      logger,
    });
    const nc = await nats.ready(10_000);
    void (async () => {
      for await (const s of nc.status())
        if (s.type === 'error') connectionErrors.push(String(s.error));
    })();
    repo = new PresenceKvRepository(nats);
  });
  afterAll(async () => {
    await nats?.drain();
    await server?.stop();
  });

  const key = (memberId: string, replicaId: string): PresenceKey => ({
    spaceId: space,
    memberId,
    replicaId,
  });
  const sorted = (keys: PresenceKey[]) => keys.map((k) => `${k.memberId}@${k.replicaId}`).sort();

  it('creates the bucket, lists every key or one replica’s, and forgets a removed key', async () => {
    // Listing an empty bucket creates it, and reads no consumer.
    expect(await repo.list()).toEqual([]);
    await repo.putAll([
      key(alice, 'replica0001'),
      key(bob, 'replica0001'),
      key(bob, 'replica0002'),
    ]);
    // A non-empty listing creates an ordered consumer, asks its info, reads it and deletes it.
    expect(sorted(await repo.list())).toEqual([
      `${alice}@replica0001`,
      `${bob}@replica0001`,
      `${bob}@replica0002`,
    ]);
    expect(sorted(await repo.list('replica0002'))).toEqual([`${bob}@replica0002`]);
    await repo.remove(key(bob, 'replica0001'));
    expect(sorted(await repo.list('replica0001'))).toEqual([`${alice}@replica0001`]);
    // Rewriting keys already there (the heartbeat) renews them.
    await repo.putAll([key(alice, 'replica0001')]);
    expect(sorted(await repo.list())).toEqual([`${alice}@replica0001`, `${bob}@replica0002`]);

    // Whatever the client did in the background (consumer deletes, flow control) was allowed too.
    await nats.nc.flush();
    await new Promise((r) => setTimeout(r, 200));
    expect(connectionErrors).toEqual([]);
  });

  it('is refused what the gateway user may not do on the bus (the check is real)', async () => {
    await expect(nats.jsm.streams.info('KV_SOMEONE_ELSE')).rejects.toThrow(/Permissions Violation/);
    await nats.nc.flush();
    await new Promise((r) => setTimeout(r, 200));
    expect(connectionErrors.join('\n')).toMatch(/Permissions Violation/);
  });
});
