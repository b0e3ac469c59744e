import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startStore, type RunningStore } from '@agora/store';
import { identityEvents, streams } from '@agora/proto';
import { Schema, type Model } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../logging/create-logger.js';
import { MongoService } from '../mongo/mongo.service.js';
import { NatsService } from '../nats/nats.service.js';
import { ensureStream } from '../nats/provision.js';
import { startNatsServer, type NatsServerHandle } from '../testing/nats-server.js';
import { EventPublisher } from './event-publisher.js';
import { outboxEntry, outboxSchemaField, type OutboxEntry } from './outbox-entry.js';
import { OutboxRelay } from './outbox-relay.js';

interface Profile {
  _id: string;
  bio: string;
  outbox: OutboxEntry[];
}

const logger = createLogger('outbox-spec', 'silent');
const memberId = 'f'.repeat(24);
const def = identityEvents.profileUpdated;

describe('outbox + relay (embedded store, real nats-server)', () => {
  let nats: NatsServerHandle;
  let dbpath: string;
  let store: RunningStore;
  let bus: NatsService;
  let mongo: MongoService;
  let publisher: EventPublisher;
  let Profiles: Model<Profile>;

  beforeAll(async () => {
    nats = await startNatsServer();
    dbpath = await mkdtemp(join(tmpdir(), 'agora-outbox-spec-'));
    store = await startStore({ port: 0, dbpath, logger: () => undefined });
    bus = new NatsService({ url: nats.url, name: 'outbox-spec', logger });
    await bus.ready();
    // This process owns no stream: create the one the events go to, as identity would.
    await ensureStream(bus.jsm, streams.identity);
    publisher = new EventPublisher(bus, logger);
    mongo = new MongoService({ url: store.url, service: 'outbox_spec', logger });
    await mongo.ready();
    const schema = new Schema<Profile>({ _id: String, bio: String, outbox: outboxSchemaField });
    // outbox relay: documents with unpublished events.
    schema.index({ 'outbox._id': 1 });
    Profiles = mongo.connection.model<Profile>('Profile', schema);
    await Profiles.init();
  });

  afterAll(async () => {
    await mongo?.close();
    await store?.close();
    await rm(dbpath, { recursive: true, force: true });
    await bus?.drain();
    await nats?.stop();
  });

  const messagesWithId = async (id: string): Promise<number> => {
    const info = await bus.jsm.streams.info(streams.identity.name);
    let n = 0;
    for (
      let seq = info.state.first_seq;
      info.state.messages > 0 && seq <= info.state.last_seq;
      seq += 1
    ) {
      const m = await bus.jsm.streams.getMessage(streams.identity.name, { seq });
      if (m?.header.get('Nats-Msg-Id') === id) n += 1;
    }
    return n;
  };

  /** A publisher that counts the relay's publishes: JetStream's dedupe would hide a second one. */
  const countingPublisher = () =>
    new (class extends EventPublisher {
      publishes = 0;
      override publishEnvelope(...args: Parameters<EventPublisher['publishEnvelope']>) {
        this.publishes += 1;
        return super.publishEnvelope(...args);
      }
    })(bus, logger);

  const changeBio = async (id: string, bio: string): Promise<OutboxEntry> => {
    const entry = outboxEntry(def, {
      actor: memberId,
      subject: memberId,
      data: { memberId, fields: ['bio'] },
    });
    await Profiles.updateOne(
      { _id: id },
      { $set: { bio }, $push: { outbox: entry } },
      { upsert: true },
    ).exec();
    return entry;
  };

  it('builds an entry whose id is the envelope id and refuses bad data', () => {
    const entry = outboxEntry(def, {
      actor: null,
      subject: memberId,
      data: { memberId, fields: ['bio'] },
    });
    expect(entry._id).toBe(entry.envelope.id);
    expect(entry.def).toBe('identity.profile.updated');
    expect(() =>
      outboxEntry(def, { actor: null, subject: memberId, data: { memberId, fields: [] } }),
    ).toThrow(/does not match/);
  });

  it('writes the state change and its event in the same update', async () => {
    const entry = await changeBio('u1', 'one');
    const doc = await Profiles.findById('u1').lean().exec();
    expect(doc).toMatchObject({
      bio: 'one',
      outbox: [{ _id: entry._id, def: def.type, envelope: entry.envelope }],
    });
  });

  it('publishes each entry with its id as Nats-Msg-Id, then pulls it', async () => {
    const a = await changeBio('u2', 'two');
    const b = await changeBio('u2', 'two again');
    const relay = new OutboxRelay(publisher, logger, { pollMs: 60_000 });
    relay.register(Profiles);
    try {
      await relay.relayOnce();
      expect(await messagesWithId(a._id)).toBe(1);
      expect(await messagesWithId(b._id)).toBe(1);
      expect((await Profiles.findById('u2').lean().exec())?.outbox).toEqual([]);
    } finally {
      await relay.stop();
    }
  });

  it('after a crash between publish and pull, the re-publish is dropped: one stream message', async () => {
    const entry = await changeBio('u3', 'three');
    await publisher.publishEnvelope(def, entry.envelope as never); // the relay that crashed got this far
    const relay = new OutboxRelay(publisher, logger, { pollMs: 60_000 });
    relay.register(Profiles);
    try {
      await relay.relayOnce();
    } finally {
      await relay.stop();
    }
    expect(await messagesWithId(entry._id)).toBe(1);
    expect((await Profiles.findById('u3').lean().exec())?.outbox).toEqual([]);
  });

  it('relays nothing in the background before start, then soon after a poke', async () => {
    const relay = new OutboxRelay(publisher, logger, { pollMs: 60_000 });
    relay.register(Profiles);
    try {
      const early = await changeBio('u5', 'five');
      relay.poke();
      await new Promise((r) => setTimeout(r, 300));
      expect(await messagesWithId(early._id)).toBe(0);
      relay.start();
      await expect
        .poll(async () => (await Profiles.findById('u5').lean().exec())?.outbox.length, {
          timeout: 5_000,
        })
        .toBe(0);
      const entry = await changeBio('u4', 'four');
      relay.poke();
      await expect
        .poll(async () => (await Profiles.findById('u4').lean().exec())?.outbox.length, {
          timeout: 5_000,
        })
        .toBe(0);
      expect(await messagesWithId(entry._id)).toBe(1);
    } finally {
      await relay.stop();
    }
  });

  it('publishes handed-over entries without a scan and pulls them in one write; a scan finding them too publishes nothing twice', async () => {
    const relay = new OutboxRelay(publisher, logger, { pollMs: 60_000 });
    relay.register(Profiles);
    try {
      relay.start();
      // The start scan: nothing is waiting.
      await new Promise((r) => setTimeout(r, 200));
      const a = await changeBio('u6', 'six');
      const b = await changeBio('u7', 'seven');
      const c = await changeBio('u7', 'seven again');
      const d = await changeBio('u8', 'eight');
      relay.handOver(Profiles, 'u6', [a]);
      relay.handOver(Profiles, 'u7', [b, c]);
      // Not handed over (another process wrote it): stays until a scan, 60 s away.
      await expect
        .poll(async () => (await Profiles.findById('u7').lean().exec())?.outbox.length, {
          timeout: 5_000,
        })
        .toBe(0);
      expect((await Profiles.findById('u6').lean().exec())?.outbox).toEqual([]);
      for (const e of [a, b, c]) expect(await messagesWithId(e._id)).toBe(1);
      expect(await messagesWithId(d._id)).toBe(0);
      expect((await Profiles.findById('u8').lean().exec())?.outbox).toHaveLength(1);
      // Handed over and then found by a scan as well: JetStream keeps one copy.
      relay.handOver(Profiles, 'u8', [d]);
      await relay.relayOnce();
      await new Promise((r) => setTimeout(r, 200));
      expect(await messagesWithId(d._id)).toBe(1);
      expect((await Profiles.findById('u8').lean().exec())?.outbox).toEqual([]);
    } finally {
      await relay.stop();
    }
  });

  it('a scan relays what it read like hand-overs and drops their hand-overs; the rest still go out, each once', async () => {
    const counting = countingPublisher();
    const relay = new OutboxRelay(counting, logger, { pollMs: 60_000, batch: 2 });
    relay.register(Profiles);
    try {
      relay.start();
      await new Promise((r) => setTimeout(r, 200));
      const ids = ['u11', 'u12', 'u13', 'u14'];
      const written = new Map<string, OutboxEntry[]>();
      for (const id of ids)
        written.set(id, [await changeBio(id, `${id} one`), await changeBio(id, `${id} two`)]);
      counting.publishes = 0;
      for (const id of ids) relay.handOver(Profiles, id, written.get(id) ?? []);
      // Runs before the loop wakes for the hand-overs: a scan of 2 of the 4 documents.
      expect(await relay.relayOnce()).toBe(4);
      for (const id of ids)
        await expect
          .poll(async () => (await Profiles.findById(id).lean().exec())?.outbox.length, {
            timeout: 5_000,
          })
          .toBe(0);
      for (const entry of [...written.values()].flat())
        expect(await messagesWithId(entry._id)).toBe(1);
      expect(counting.publishes).toBe(8);
    } finally {
      await relay.stop();
    }
  });

  it('a hand-over that comes after a scan already published its entries publishes nothing again', async () => {
    const counting = countingPublisher();
    const relay = new OutboxRelay(counting, logger, { pollMs: 60_000 });
    relay.register(Profiles);
    try {
      relay.start();
      await new Promise((r) => setTimeout(r, 200));
      const entry = await changeBio('u15', 'fifteen');
      // The scan reads the write before its writer hands it over (the writer was still awaiting
      // the store's answer).
      counting.publishes = 0;
      expect(await relay.relayOnce()).toBe(1);
      relay.handOver(Profiles, 'u15', [entry]);
      await new Promise((r) => setTimeout(r, 300));
      expect(counting.publishes).toBe(1);
      expect(await messagesWithId(entry._id)).toBe(1);
      // A later write of the same document is handed over and goes out as usual.
      const next = await changeBio('u15', 'fifteen again');
      relay.handOver(Profiles, 'u15', [next]);
      await expect.poll(() => messagesWithId(next._id), { timeout: 5_000 }).toBe(1);
      expect(counting.publishes).toBe(2);
    } finally {
      await relay.stop();
    }
  });

  it('ignores hand-overs before start (the start scan takes them) and of unknown documents', async () => {
    const relay = new OutboxRelay(publisher, logger, { pollMs: 60_000 });
    relay.register(Profiles);
    try {
      const early = await changeBio('u9', 'nine');
      relay.handOver(Profiles, 'u9', [early]);
      await new Promise((r) => setTimeout(r, 300));
      expect(await messagesWithId(early._id)).toBe(0);
      relay.start();
      await expect
        .poll(async () => (await Profiles.findById('u9').lean().exec())?.outbox.length, {
          timeout: 5_000,
        })
        .toBe(0);
      expect(await messagesWithId(early._id)).toBe(1);
      // A hand-over naming no document is a poke: the scan relays what is there.
      const later = await changeBio('u10', 'ten');
      relay.handOver(Profiles, undefined, [later]);
      await expect
        .poll(async () => (await Profiles.findById('u10').lean().exec())?.outbox.length, {
          timeout: 5_000,
        })
        .toBe(0);
      expect(await messagesWithId(later._id)).toBe(1);
    } finally {
      await relay.stop();
    }
  });

  it('connects MongoService to agora_<service> and pings', async () => {
    expect(mongo.dbName).toBe('agora_outbox_spec');
    expect(mongo.connection.db?.databaseName).toBe('agora_outbox_spec');
    expect(await mongo.ping()).toBe(true);
    expect(mongo.unreadyReason).toBeUndefined();
  });
});
