import {
  DiscardPolicy,
  jetstream,
  jetstreamManager,
  StorageType,
  type JetStreamManager,
} from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { streams, type StreamDef } from '@agora/proto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNatsServer, type NatsServerHandle } from '../testing/nats-server.js';
import { ensureStream, streamConfigOf } from './provision.js';

describe('streamConfigOf', () => {
  let server: NatsServerHandle;
  let nc: NatsConnection;
  let jsm: JetStreamManager;

  beforeAll(async () => {
    server = await startNatsServer();
    nc = await connect({ servers: server.url });
    jsm = await jetstreamManager(nc);
  });

  afterAll(async () => {
    await nc?.close();
    await server?.stop();
  });

  it('gives an event stream file storage and no limits', async () => {
    await ensureStream(jsm, streams.identity);
    const { config } = await jsm.streams.info(streams.identity.name);
    expect(config).toMatchObject({
      storage: StorageType.File,
      max_bytes: -1,
      max_msg_size: -1,
      max_msgs_per_subject: -1,
      discard: DiscardPolicy.Old,
      max_age: 0,
    });
  });

  it('provisions the collab update stream with the limits proto declares', async () => {
    await ensureStream(jsm, streams.collab);
    const { config } = await jsm.streams.info(streams.collab.name);
    expect(config).toMatchObject({
      subjects: ['agora.collab.doc.>'],
      storage: StorageType.File,
      max_bytes: 1024 * 1024 * 1024,
      max_msg_size: 1024 * 1024,
      max_msgs_per_subject: -1,
      discard: DiscardPolicy.New,
      max_age: 0,
    });
  });

  it('enforces them: too large a message and a full stream are refused, not made room for', async () => {
    const def: StreamDef = {
      name: 'TEST_LIMITS',
      subjects: ['test.limits.>'],
      storage: 'memory',
      duplicateWindowMs: 60_000,
      maxAgeMs: 0,
      maxBytes: 4_096,
      maxMessageBytes: 512,
      discard: 'new',
    };
    await ensureStream(jsm, def);
    expect((await jsm.streams.info(def.name)).config.storage).toBe(StorageType.Memory);
    const js = jetstream(nc);
    await expect(js.publish('test.limits.a', new Uint8Array(600))).rejects.toThrow(
      /message size exceeds maximum/i,
    );
    let refused: unknown;
    for (let i = 0; i < 100 && !refused; i += 1) {
      await js.publish('test.limits.a', new Uint8Array(400)).catch((err: unknown) => {
        refused = err;
      });
    }
    expect(String(refused)).toMatch(/maximum bytes exceeded/i);
    const { state } = await jsm.streams.info(def.name);
    expect(state.first_seq).toBe(1); // nothing was dropped to make room
    expect(state.bytes).toBeLessThanOrEqual(4_096);
  });

  it('keeps the newest messages of a subject at its limit, and lifts a limit proto drops', async () => {
    const def: StreamDef = {
      name: 'TEST_PER_SUBJECT',
      subjects: ['test.subject.>'],
      storage: 'memory',
      duplicateWindowMs: 60_000,
      maxAgeMs: 0,
      maxMessagesPerSubject: 2,
    };
    await ensureStream(jsm, def);
    const js = jetstream(nc);
    for (const n of [1, 2, 3]) await js.publish('test.subject.a', String(n));
    await js.publish('test.subject.b', 'b');
    const { state } = await jsm.streams.info(def.name);
    expect(state.messages).toBe(3);
    expect(
      (await jsm.streams.getMessage(def.name, { last_by_subj: 'test.subject.a' }))?.string(),
    ).toBe('3');

    const { maxMessagesPerSubject: _dropped, ...unlimited } = def;
    await ensureStream(jsm, unlimited);
    expect((await jsm.streams.info(def.name)).config.max_msgs_per_subject).toBe(-1);
    expect(streamConfigOf(unlimited)).toMatchObject({ max_msgs_per_subject: -1, max_bytes: -1 });
  });

  it('asks for as many copies as JETSTREAM_REPLICAS says (one by default)', () => {
    const def: StreamDef = {
      name: 'TEST_REPLICAS',
      subjects: ['test.replicas.>'],
      storage: 'file',
      duplicateWindowMs: 60_000,
      maxAgeMs: 0,
    };
    expect(streamConfigOf(def).num_replicas).toBe(1);
    expect(streamConfigOf(def, 3).num_replicas).toBe(3);
  });
});
