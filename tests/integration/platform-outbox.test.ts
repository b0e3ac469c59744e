// The outbox against a real store (the embedded one, or MongoDB when MONGO_URL is set) and a real
// nats-server: a state change and its event land in one document write (the platform's Outbox
// writer, as every repository writes them); the relay publishes the event
// with its id as Nats-Msg-Id and then pulls it; a relay that crashed between the two leaves exactly one
// message in the stream. Also MongoService: database name, ping, and /readyz following the store.
import {
  createLogger,
  ensureStream,
  EventPublisher,
  HealthService,
  MongoService,
  NatsService,
  Outbox,
  OutboxRelay,
  outboxSchemaField,
  pendingEvent,
  type OutboxEntry,
  type OutboxWriter,
} from '@agora/platform';
import { startNatsServer, type NatsServerHandle } from '@agora/platform/testing';
import { identityEvents, streams } from '@agora/proto';
import { Schema, type Model } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStore, usingRealMongo, type TestStore } from '../support/store.js';

interface Profile {
  _id: string;
  bio: string;
  outbox: OutboxEntry[];
}

const logger = createLogger('platform-outbox-test', 'silent');
const memberId = 'e'.repeat(24);
const def = identityEvents.profileUpdated;

describe('outbox and store', () => {
  let nats: NatsServerHandle;
  let store: TestStore;
  let bus: NatsService;
  let mongo: MongoService;
  let publisher: EventPublisher;
  let Profiles: Model<Profile>;
  /** Writes through a relay that never runs: each test's own relay does the relaying. */
  let profiles: OutboxWriter<Profile>;

  beforeAll(async () => {
    nats = await startNatsServer();
    store = await startTestStore({ name: 'platform_outbox' });
    bus = new NatsService({ url: nats.url, name: 'outbox-test', logger });
    await bus.ready();
    // This process owns no stream: create the one the events go to, as identity would.
    await ensureStream(bus.jsm, streams.identity);
    publisher = new EventPublisher(bus, logger);
    // MongoService names the database agora_<service>: reuse the suite's unique database.
    mongo = new MongoService({
      url: store.url,
      service: store.dbName.slice('agora_'.length),
      logger,
    });
    await mongo.ready();
    const schema = new Schema<Profile>({ _id: String, bio: String, outbox: outboxSchemaField });
    // outbox relay: documents with unpublished events.
    schema.index({ 'outbox._id': 1 });
    Profiles = mongo.connection.model<Profile>('Profile', schema);
    await Profiles.init();
    profiles = new Outbox(new OutboxRelay(publisher, logger)).for(Profiles);
  });

  afterAll(async () => {
    await mongo?.connection.dropDatabase().catch(() => undefined);
    await mongo?.close();
    await bus?.drain();
    await store?.stop();
    await nats?.stop();
  });

  const streamCountFor = async (id: string): Promise<number> => {
    // Count stream messages carrying this event id (few messages: scan them).
    const info = await bus.jsm.streams.info(streams.identity.name);
    let n = 0;
    for (
      let seq = info.state.first_seq;
      seq <= info.state.last_seq && info.state.messages > 0;
      seq += 1
    ) {
      const m = await bus.jsm.streams.getMessage(streams.identity.name, { seq });
      if (m?.header.get('Nats-Msg-Id') === id) n += 1;
    }
    return n;
  };

  const bioChanged = pendingEvent(def, memberId, memberId, { memberId, fields: ['bio'] });

  /** One write: the state and its event, as a service repository writes them; returns the entry. */
  const writeBio = async (
    id: string,
    bio: string,
    writer: OutboxWriter<Profile> = profiles,
  ): Promise<OutboxEntry> => {
    await writer.insert({ _id: id, bio }, [bioChanged], new Date());
    const entry = (await Profiles.findById(id).lean().exec())?.outbox[0];
    if (!entry) throw new Error(`no outbox entry on ${id}`);
    return entry;
  };

  it('uses the database agora_<service> and answers pings', async () => {
    expect(mongo.connection.db?.databaseName).toBe(store.dbName);
    expect(await mongo.ping()).toBe(true);
  });

  it('writes the state and its event in one document', async () => {
    const entry = await writeBio('p1', 'hello');
    const doc = await Profiles.findById('p1').lean().exec();
    expect(doc?.bio).toBe('hello');
    expect(doc?.outbox).toHaveLength(1);
    expect(doc?.outbox[0]?._id).toBe(entry.envelope.id);
    expect(doc?.outbox[0]?.def).toBe(def.type);
    expect(doc?.outbox[0]?.envelope).toMatchObject({ type: def.type, data: bioChanged.data });
  });

  it('relays: publishes with the event id as Nats-Msg-Id, then pulls the entry', async () => {
    const entry = await writeBio('p2', 'second');
    const relay = new OutboxRelay(publisher, logger, { pollMs: 60_000 });
    relay.register(Profiles);
    try {
      await relay.relayOnce();
      expect(await streamCountFor(entry._id)).toBe(1);
      const doc = await Profiles.findById('p2').lean().exec();
      expect(doc?.outbox).toEqual([]);
      expect(doc?.bio).toBe('second');
      // Nothing left: another pass publishes nothing.
      expect(await relay.relayOnce()).toBe(0);
    } finally {
      await relay.stop();
    }
  });

  it('a relay that crashed between publish and pull leaves one message in the stream', async () => {
    const entry = await writeBio('p3', 'third');
    // The crashed relay got as far as publishing…
    await publisher.publishEnvelope(def, entry.envelope as never);
    expect(await streamCountFor(entry._id)).toBe(1);
    expect((await Profiles.findById('p3').lean().exec())?.outbox).toHaveLength(1);
    // …and the next one (after the restart) publishes again and pulls.
    const relay = new OutboxRelay(publisher, logger, { pollMs: 60_000 });
    relay.register(Profiles);
    try {
      await relay.relayOnce();
    } finally {
      await relay.stop();
    }
    expect(await streamCountFor(entry._id)).toBe(1);
    expect((await Profiles.findById('p3').lean().exec())?.outbox).toEqual([]);
  });

  it('relays in the background soon after a write (the writer pokes the relay)', async () => {
    const relay = new OutboxRelay(publisher, logger, { pollMs: 60_000 });
    const writer = new Outbox(relay).for(Profiles);
    relay.start();
    try {
      await relay.relayOnce();
      const entry = await writeBio('p4', 'fourth', writer);
      await expect
        .poll(async () => (await Profiles.findById('p4').lean().exec())?.outbox.length, {
          timeout: 5_000,
        })
        .toBe(0);
      expect(await streamCountFor(entry._id)).toBe(1);
    } finally {
      await relay.stop();
    }
  });

  it('keeps entries while NATS is unreachable and relays them once it is back', async () => {
    const entry = await writeBio('p5', 'fifth');
    await nats.kill();
    const relay = new OutboxRelay(publisher, logger, {
      pollMs: 200,
      publish: { attempts: 1, ackTimeoutMs: 500 },
    });
    relay.register(Profiles);
    relay.start();
    try {
      await expect(relay.relayOnce()).rejects.toThrow();
      expect((await Profiles.findById('p5').lean().exec())?.outbox).toHaveLength(1);
      await nats.restart();
      await expect
        .poll(async () => (await Profiles.findById('p5').lean().exec())?.outbox.length, {
          timeout: 20_000,
        })
        .toBe(0);
      expect(await streamCountFor(entry._id)).toBe(1);
    } finally {
      await relay.stop();
      if (
        !(await bus.ready(0).then(
          () => true,
          () => false,
        ))
      )
        await nats.restart().catch(() => undefined);
    }
  });

  it.skipIf(usingRealMongo)(
    'readiness follows the store: false while it is down, true after',
    async () => {
      const health = new HealthService(bus, mongo);
      await expect
        .poll(async () => (await health.readiness()).ready, { timeout: 10_000 })
        .toBe(true);
      await store.kill();
      const down = await health.readiness();
      expect(down.ready).toBe(false);
      expect(down.checks.mongo).toBe(false);
      expect(down.checks.reason).toMatch(/mongo/);
      await store.restart();
      await expect
        .poll(async () => (await health.readiness()).ready, { timeout: 20_000, interval: 250 })
        .toBe(true);
    },
  );
});
