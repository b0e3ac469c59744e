import { randomUUID } from 'node:crypto';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNatsServer, type NatsServerHandle } from '../testing/nats-server.js';
import { JetStreamAcks } from './jetstream-acks.js';

const STREAM = 'ACKS_SPEC';
const bytes = (s: string) => new TextEncoder().encode(s);

describe('JetStreamAcks (real nats-server)', () => {
  let server: NatsServerHandle;
  let nc: NatsConnection;
  let acks: JetStreamAcks;

  beforeAll(async () => {
    server = await startNatsServer();
    nc = await connect({ servers: server.url, inboxPrefix: '_INBOX_acks-spec' });
    const jsm = await jetstreamManager(nc);
    await jsm.streams.add({ name: STREAM, subjects: ['acks.spec.>'], duplicate_window: 60e9 });
    acks = new JetStreamAcks(nc, '_INBOX_acks-spec');
  });

  afterAll(async () => {
    await nc?.close();
    await server?.stop();
  });

  const opts = (msgID = randomUUID(), timeoutMs = 3_000) => ({
    msgID,
    expectStream: STREAM,
    timeoutMs,
  });

  it('acks many publishes at once, each with its own stream sequence', async () => {
    const all = await Promise.all(
      Array.from({ length: 200 }, (_, i) => acks.publish('acks.spec.a', bytes(`m${i}`), opts())),
    );
    expect(all.every((a) => a.stream === STREAM && !a.duplicate)).toBe(true);
    expect(new Set(all.map((a) => a.seq)).size).toBe(200);
    expect(acks.inFlight).toBe(0);
  });

  it('answers a publish with a Nats-Msg-Id seen already as a duplicate of the first', async () => {
    const id = randomUUID();
    const first = await acks.publish('acks.spec.b', bytes('once'), opts(id));
    const again = await acks.publish('acks.spec.b', bytes('once'), opts(id));
    expect(again).toEqual({ stream: STREAM, seq: first.seq, duplicate: true });
  });

  it('refuses a subject no stream takes, and a stream that is not the expected one', async () => {
    await expect(acks.publish('acks.nowhere', bytes('x'), opts())).rejects.toThrow(
      /no stream takes this subject/,
    );
    await expect(
      acks.publish('acks.spec.c', bytes('x'), { ...opts(), expectStream: 'OTHER' }),
    ).rejects.toThrow(/JetStream publish refused: expected stream does not match/);
  });

  it("appends after the subject's last sequence only, refusing with code 10071 otherwise", async () => {
    const first = await acks.publish('acks.spec.chain', bytes('1'), opts());
    const next = await acks.publish('acks.spec.chain', bytes('2'), {
      ...opts(),
      expectLastSubjectSeq: first.seq,
    });
    expect(next.seq).toBeGreaterThan(first.seq);
    const stale = acks.publish('acks.spec.chain', bytes('3'), {
      ...opts(),
      expectLastSubjectSeq: first.seq,
    });
    await expect(stale).rejects.toMatchObject({ name: 'JetStreamPublishError', code: 10071 });
  });

  it('times out when nothing answers, and forgets the publish', async () => {
    // A plain subscriber takes the subject: no JetStream ack ever comes.
    const silent = nc.subscribe('acks.silent');
    const started = Date.now();
    await expect(acks.publish('acks.silent', bytes('x'), opts(randomUUID(), 300))).rejects.toThrow(
      /timed out/,
    );
    expect(Date.now() - started).toBeLessThan(1_500);
    expect(acks.inFlight).toBe(0);
    silent.unsubscribe();
  });

  it('rejects what is still waiting when the connection closes', async () => {
    const other = await connect({ servers: server.url, inboxPrefix: '_INBOX_acks-spec2' });
    const closing = new JetStreamAcks(other, '_INBOX_acks-spec2');
    other.subscribe('acks.silent2');
    const waiting = closing.publish('acks.silent2', bytes('x'), opts(randomUUID(), 10_000));
    await other.close();
    await expect(waiting).rejects.toThrow(/connection closed/);
  });
});

describe('JetStreamAcks on a bus with permissions', () => {
  let server: NatsServerHandle;
  let admin: NatsConnection;
  let limited: NatsConnection;

  beforeAll(async () => {
    const users = [
      { user: 'admin', password: 'admin-pw' },
      {
        user: 'limited',
        password: 'limited-pw',
        permissions: {
          publish: { allow: ['acks.perm.ok'] },
          subscribe: { allow: ['_INBOX_limited.>'] },
        },
      },
    ];
    server = await startNatsServer({
      config: ({ port, storeDir }) =>
        [
          `listen: "127.0.0.1:${port}"`,
          `jetstream: ${JSON.stringify({ store_dir: storeDir })}`,
          `authorization: ${JSON.stringify({ users })}`,
        ].join('\n'),
      credentials: { user: 'admin', pass: 'admin-pw' },
    });
    admin = await connect({ servers: server.url, user: 'admin', pass: 'admin-pw' });
    await (
      await jetstreamManager(admin)
    ).streams.add({ name: 'ACKS_PERM', subjects: ['acks.perm.>'] });
    limited = await connect({
      servers: server.url,
      user: 'limited',
      pass: 'limited-pw',
      inboxPrefix: '_INBOX_limited',
    });
  });

  afterAll(async () => {
    await limited?.close();
    await admin?.close();
    await server?.stop();
  });

  it('fails a publish the server refuses with its permission error, at once; an allowed one is acked', async () => {
    const acks = new JetStreamAcks(limited, '_INBOX_limited');
    const opts = { msgID: randomUUID(), expectStream: 'ACKS_PERM', timeoutMs: 5_000 };
    const started = Date.now();
    await expect(acks.publish('acks.perm.denied', bytes('x'), opts)).rejects.toThrow(
      /Permissions Violation for Publish to "acks\.perm\.denied"/,
    );
    expect(Date.now() - started).toBeLessThan(2_000);
    const ok = await acks.publish('acks.perm.ok', bytes('y'), { ...opts, msgID: randomUUID() });
    expect(ok.stream).toBe('ACKS_PERM');
  });
});
