import { AckPolicy, DeliverPolicy } from '@nats-io/jetstream';
import { consumers, identityEvents, streams } from '@agora/proto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../logging/create-logger.js';
import { runWithRequestId, REQUEST_ID_HEADER } from '../logging/request-context.js';
import { NatsService } from '../nats/nats.service.js';
import { consumerConfigOf, ensureConsumer, ensureStream } from '../nats/provision.js';
import { startNatsServer, type NatsServerHandle } from '../testing/nats-server.js';
import { InvalidEventError } from './envelope.js';
import { EventPublisher } from './event-publisher.js';

const memberId = 'a'.repeat(24);
const logger = createLogger('publisher-test', 'silent');

describe('EventPublisher', () => {
  let server: NatsServerHandle;
  let nats: NatsService;
  let publisher: EventPublisher;

  beforeAll(async () => {
    server = await startNatsServer();
    nats = new NatsService({ url: server.url, name: 'publisher-test', logger });
    await nats.ready();
    // This process owns no stream: create the one the events go to, as identity would.
    await ensureStream(nats.jsm, streams.identity);
    publisher = new EventPublisher(nats, logger);
  });

  afterAll(async () => {
    await nats?.drain();
    await server?.stop();
  });

  it('publishes into the context stream with the envelope id as Nats-Msg-Id and the request id', async () => {
    const result = await runWithRequestId('req-pub-1', () =>
      publisher.publish(identityEvents.avatarChanged, {
        actor: memberId,
        subject: memberId,
        data: { memberId, avatarUrl: '/m/1' },
      }),
    );
    expect(result.stream).toBe(streams.identity.name);
    expect(result.duplicate).toBe(false);
    const stored = (await nats.jsm.streams.getMessage(streams.identity.name, { seq: result.seq }))!;
    expect(stored.subject).toBe(identityEvents.avatarChanged.subject);
    expect(stored.header.get('Nats-Msg-Id')).toBe(result.envelope.id);
    expect(stored.header.get(REQUEST_ID_HEADER)).toBe('req-pub-1');
    expect(stored.json()).toEqual(result.envelope);
  });

  it('stores an event published twice with the same id once', async () => {
    const before = (await nats.jsm.streams.info(streams.identity.name)).state.messages;
    const id = crypto.randomUUID();
    const input = { id, actor: memberId, subject: memberId, data: { memberId, coverUrl: '/m/2' } };
    const first = await publisher.publish(identityEvents.coverChanged, input);
    const second = await publisher.publish(identityEvents.coverChanged, input);
    expect(first.duplicate).toBe(false);
    expect(second.duplicate).toBe(true);
    expect(second.seq).toBe(first.seq);
    const after = (await nats.jsm.streams.info(streams.identity.name)).state.messages;
    expect(after - before).toBe(1);
  });

  it('refuses data that breaks the contract and publishes nothing', async () => {
    const before = (await nats.jsm.streams.info(streams.identity.name)).state.messages;
    await expect(
      publisher.publish(identityEvents.avatarChanged, {
        actor: null,
        subject: memberId,
        data: { memberId: 'x', avatarUrl: '' },
      }),
    ).rejects.toBeInstanceOf(InvalidEventError);
    expect((await nats.jsm.streams.info(streams.identity.name)).state.messages).toBe(before);
  });

  it('keeps an existing consumer whose settings the server will not change, with a warning', async () => {
    const def = { ...consumers.identityMailer, durable: 'platform-spec-ack-all' };
    await nats.jsm.consumers.add(def.stream, {
      durable_name: def.durable,
      ack_policy: AckPolicy.All,
    });
    const warning = await ensureConsumer(nats.jsm, def);
    expect(warning).toMatch(/^consumer platform-spec-ack-all kept its old settings: /);
    expect((await nats.jsm.consumers.info(def.stream, def.durable)).config.ack_policy).toBe('all');
    expect(
      await ensureConsumer(nats.jsm, { ...def, durable: 'platform-spec-fresh' }),
    ).toBeUndefined();
  });

  it('gives a whole-stream consumer no filter, and makes one made with a filter again after its ack floor', async () => {
    expect(consumerConfigOf(consumers.pointsIdentity).filter_subject).toBeUndefined();
    expect(consumerConfigOf(consumers.identityMailer).filter_subject).toBe(
      identityEvents.invitationSent.subject,
    );
    const def = { ...consumers.pointsIdentity, durable: 'platform-spec-whole' };
    const published = [];
    for (let i = 0; i < 3; i += 1)
      published.push(
        await publisher.publish(identityEvents.avatarChanged, {
          actor: memberId,
          subject: memberId,
          data: { memberId, avatarUrl: `/w/${i}` },
        }),
      );
    const first = published[0]?.seq ?? 0;
    // As an earlier release made it: filtered on the stream's own subjects, and acked up to `first`.
    await nats.jsm.consumers.add(def.stream, {
      durable_name: def.durable,
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.StartSequence,
      opt_start_seq: first,
      filter_subject: streams.identity.subjects[0],
    });
    const consumer = await nats.js.consumers.get(def.stream, def.durable);
    (await consumer.next())?.ack();
    await expect
      .poll(
        async () => (await nats.jsm.consumers.info(def.stream, def.durable)).ack_floor.stream_seq,
      )
      .toBe(first);
    expect(await ensureConsumer(nats.jsm, def)).toBe(
      `consumer platform-spec-whole made again without its filter (it covers the whole stream), from stream seq ${first + 1}`,
    );
    const info = await nats.jsm.consumers.info(def.stream, def.durable);
    expect(info.config.filter_subject ?? '').toBe('');
    expect(info.num_pending).toBe(published.length - 1);
    // Made without the filter already: nothing more to do.
    expect(await ensureConsumer(nats.jsm, def)).toBeUndefined();
    const again = await nats.js.consumers.get(def.stream, def.durable);
    expect((await again.next())?.seq).toBe(first + 1);
  });

  it('fails after its attempts when NATS is not reachable', async () => {
    const dead = new NatsService({ url: 'nats://127.0.0.1:1', name: 'dead', logger });
    const p = new EventPublisher(dead, logger);
    const started = Date.now();
    await expect(
      p.publish(
        identityEvents.avatarChanged,
        { actor: null, subject: memberId, data: { memberId, avatarUrl: '/x' } },
        { attempts: 2, ackTimeoutMs: 300 },
      ),
    ).rejects.toThrow(/not ready/);
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(dead.isConnected).toBe(false);
    expect(dead.unreadyReason).toMatch(/cannot connect/);
    await dead.drain();
  });
});
