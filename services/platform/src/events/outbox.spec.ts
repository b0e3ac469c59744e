import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startStore, type RunningStore } from '@agora/store';
import { envelopeSchema, identityEvents, streams, type Envelope } from '@agora/proto';
import { Schema, type Model, type UpdateQuery } from 'mongoose';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../logging/create-logger.js';
import { MongoService } from '../mongo/mongo.service.js';
import { isDuplicateKey } from '../mongo/mongo-errors.js';
import { NatsService } from '../nats/nats.service.js';
import { ensureStream } from '../nats/provision.js';
import { startNatsServer, type NatsServerHandle } from '../testing/nats-server.js';
import { EventPublisher } from './event-publisher.js';
import { Outbox, type OutboxWriter } from './outbox.js';
import { outboxSchemaField, type OutboxEntry } from './outbox-entry.js';
import { OutboxRelay } from './outbox-relay.js';
import { pendingEvent } from './pending-event.js';

interface Account {
  _id: string;
  email: string;
  bio: string;
  tags: string[];
  rev: number;
  outbox: OutboxEntry[];
}

const logger = createLogger('outbox-writer-spec', 'silent');
const at = new Date('2026-03-01T09:30:00.000Z');
const idOf = (n: number) => n.toString(16).padStart(24, '0');
const bioChanged = (id: string) =>
  pendingEvent(identityEvents.profileUpdated, id, id, { memberId: id, fields: ['bio'] });
const registered = (id: string) =>
  pendingEvent(identityEvents.memberRegistered, null, id, {
    memberId: id,
    invitedBy: null,
  });

describe('Outbox: a state change and its events in one write (embedded store, real nats-server)', () => {
  let nats: NatsServerHandle;
  let dbpath: string;
  let store: RunningStore;
  let bus: NatsService;
  let mongo: MongoService;
  let relay: OutboxRelay;
  let Accounts: Model<Account>;
  let accounts: OutboxWriter<Account>;

  beforeAll(async () => {
    nats = await startNatsServer();
    dbpath = await mkdtemp(join(tmpdir(), 'agora-outbox-writer-spec-'));
    store = await startStore({ port: 0, dbpath, logger: () => undefined });
    bus = new NatsService({ url: nats.url, name: 'outbox-writer-spec', logger });
    await bus.ready();
    // This process owns no stream: create the one the events go to, as identity would.
    await ensureStream(bus.jsm, streams.identity);
    mongo = new MongoService({ url: store.url, service: 'outbox_writer_spec', logger });
    await mongo.ready();
    const schema = new Schema<Account>({
      _id: String,
      email: { type: String, required: true },
      bio: { type: String, default: '' },
      tags: { type: [String], default: [] },
      rev: { type: Number, default: 0 },
      outbox: outboxSchemaField,
    });
    // register: one account per address.
    schema.index({ email: 1 }, { unique: true });
    // outbox relay: documents with unpublished events.
    schema.index({ 'outbox._id': 1 });
    Accounts = mongo.connection.model<Account>('Account', schema);
    await Accounts.init();
    relay = new OutboxRelay(new EventPublisher(bus, logger), logger, { pollMs: 60_000 });
    accounts = new Outbox(relay).for(Accounts);
  });

  afterEach(async () => {
    await Accounts.deleteMany({}).exec();
    await bus.jsm.streams.purge(streams.identity.name);
  });

  afterAll(async () => {
    await relay?.stop();
    await mongo?.close();
    await store?.close();
    await rm(dbpath, { recursive: true, force: true });
    await bus?.drain();
    await nats?.stop();
  });

  const published = async (): Promise<Envelope[]> => {
    const info = await bus.jsm.streams.info(streams.identity.name);
    const out: Envelope[] = [];
    for (
      let seq = info.state.first_seq;
      info.state.messages > 0 && seq <= info.state.last_seq;
      seq += 1
    ) {
      const m = await bus.jsm.streams.getMessage(streams.identity.name, { seq });
      if (m) out.push(envelopeSchema.parse(m.json()));
    }
    return out;
  };
  const outboxOf = async (id: string) => (await Accounts.findById(id).lean().exec())?.outbox;

  it('inserts the document with its events in its outbox, stamped with the change time', async () => {
    const id = idOf(1);
    await accounts.insert({ _id: id, email: 'nadia@example.org' }, [registered(id)], at);
    const doc = await Accounts.findById(id).lean().exec();
    expect(doc?.email).toBe('nadia@example.org');
    expect(doc?.outbox).toHaveLength(1);
    expect(doc?.outbox[0]?.def).toBe('identity.member.registered');
    expect(doc?.outbox[0]?.envelope).toMatchObject({
      id: doc?.outbox[0]?._id,
      occurredAt: at.toISOString(),
      subject: id,
    });
  });

  it('a complete document goes to the driver as given (no defaults added) with its events; a duplicate is refused the same way', async () => {
    const id = idOf(40);
    const doc = { _id: id, email: 'whole@example.org', bio: 'b', tags: ['t'], rev: 1 };
    await accounts.insert(doc, [registered(id)], at, { complete: true });
    const stored = await Accounts.findById(id).lean().exec();
    expect(stored).toMatchObject(doc);
    expect(stored?.outbox.map((e) => e.def)).toEqual(['identity.member.registered']);
    const err: unknown = await accounts
      .insert({ ...doc, _id: idOf(41) }, [registered(idOf(41))], at, { complete: true })
      .catch((e: unknown) => e);
    expect(isDuplicateKey(err)).toBe(true);
    expect(await Accounts.findById(idOf(41)).lean().exec()).toBeNull();
    // Without defaults: what was not given is not there.
    await accounts.insert({ _id: idOf(42), email: 'bare@example.org' }, [], at, {
      complete: true,
    });
    const bare = await Accounts.collection.findOne({ _id: idOf(42) } as never);
    expect(bare).not.toHaveProperty('bio');
    await expect(
      accounts.insert({ email: 'noid@example.org' }, [], at, { complete: true }),
    ).rejects.toThrow(/carries its _id/);
  });

  it('a refused insert (duplicate key) writes nothing and leaves no event', async () => {
    await accounts.insert({ _id: idOf(2), email: 'twice@example.org' }, [registered(idOf(2))], at);
    const err: unknown = await accounts
      .insert({ _id: idOf(3), email: 'twice@example.org' }, [registered(idOf(3))], at)
      .catch((e: unknown) => e);
    expect(isDuplicateKey(err)).toBe(true);
    expect(await Accounts.findById(idOf(3)).lean().exec()).toBeNull();
    relay.start();
    await expect.poll(() => outboxOf(idOf(2)), { timeout: 5_000 }).toEqual([]);
    expect((await published()).map((e) => e.subject)).toEqual([idOf(2)]);
  });

  it('updates and appends the events in the same write; a stale filter changes nothing', async () => {
    relay.start();
    const id = idOf(4);
    await accounts.insert({ _id: id, email: 'rev@example.org' }, [], at);
    const after = await accounts.update(
      { _id: id, rev: 0 },
      { $set: { bio: 'hello' }, $inc: { rev: 1 } },
      [bioChanged(id)],
      at,
    );
    expect(after).toMatchObject({ bio: 'hello', rev: 1 });
    expect(after).not.toHaveProperty('outbox');
    // Someone else wrote first: the filter no longer matches, so neither state nor event is written.
    const stale = await accounts.update(
      { _id: id, rev: 0 },
      { $set: { bio: 'lost' }, $inc: { rev: 1 } },
      [bioChanged(id)],
      at,
    );
    expect(stale).toBeNull();
    expect((await Accounts.findById(id).lean().exec())?.bio).toBe('hello');
    // Once the relay is done, exactly the one event went out.
    await expect.poll(() => outboxOf(id), { timeout: 5_000 }).toEqual([]);
    expect((await published()).map((e) => e.type)).toEqual(['identity.profile.updated']);
  });

  it('keeps the caller’s other $push paths and publishes soon after the write', async () => {
    relay.start();
    const id = idOf(5);
    await accounts.insert({ _id: id, email: 'push@example.org' }, [], at);
    const after = await accounts.update(
      { _id: id },
      { $set: { bio: 'one' }, $push: { tags: 'sse' } },
      [bioChanged(id)],
      at,
    );
    expect(after).toMatchObject({ bio: 'one', tags: ['sse'] });
    await expect.poll(() => outboxOf(id), { timeout: 5_000 }).toEqual([]);
    const events = await published();
    expect(events.map((e) => e.type)).toEqual(['identity.profile.updated']);
    expect(events[0]?.occurredAt).toBe(at.toISOString());
  });

  it('bulk: inserts and conditional updates in one round trip, each with its own events', async () => {
    relay.start();
    const [a, b, c] = [idOf(20), idOf(21), idOf(22)];
    await accounts.insert({ _id: a, email: 'bulk-a@example.org' }, [], at);
    await accounts.insert({ _id: b, email: 'bulk-b@example.org' }, [], at);
    const result = await accounts.bulk([
      {
        filter: { _id: a, rev: 0 },
        update: { $set: { bio: 'a', rev: 1 } },
        events: [bioChanged(a)],
        occurredAt: at,
      },
      // Stale: b is at rev 0, so neither its state nor its event is written.
      {
        filter: { _id: b, rev: 7 },
        update: { $set: { bio: 'lost' } },
        events: [bioChanged(b)],
        occurredAt: at,
      },
      { insert: { _id: c, email: 'bulk-c@example.org' }, events: [registered(c)], occurredAt: at },
      // A duplicate key: refused alone, the others still written.
      {
        insert: { _id: idOf(23), email: 'bulk-a@example.org' },
        events: [registered(idOf(23))],
        occurredAt: at,
      },
    ]);
    expect([...result.duplicates]).toEqual([3]);
    expect(result.matched).toBe(1);
    expect((await Accounts.findById(a).lean().exec())?.bio).toBe('a');
    expect((await Accounts.findById(b).lean().exec())?.bio).toBe('');
    expect(await Accounts.findById(idOf(23)).lean().exec()).toBeNull();
    await expect.poll(() => outboxOf(c), { timeout: 5_000 }).toEqual([]);
    await expect.poll(() => outboxOf(a), { timeout: 5_000 }).toEqual([]);
    expect((await published()).map((e) => `${e.type} ${e.subject}`).sort()).toEqual(
      [`identity.member.registered ${c}`, `identity.profile.updated ${a}`].sort(),
    );
    await expect(
      accounts.bulk([
        { filter: { _id: a }, update: { $set: { outbox: [] } }, events: [], occurredAt: at },
      ]),
    ).rejects.toThrow(/outbox/);
  });

  it('bulk hands over what surely landed: every update matched and the inserts, published without a scan', async () => {
    relay.start();
    const [a, b] = [idOf(30), idOf(31)];
    await accounts.insert({ _id: a, email: 'handed-a@example.org' }, [], at);
    // The start scan is behind us (pollMs is a minute): only a hand-over relays what follows.
    await new Promise((r) => setTimeout(r, 300));
    const result = await accounts.bulk([
      {
        filter: { _id: a, rev: 0 },
        update: { $set: { bio: 'x', rev: 1 } },
        events: [bioChanged(a)],
        occurredAt: at,
      },
      {
        insert: { _id: b, email: 'handed-b@example.org' },
        events: [registered(b)],
        occurredAt: at,
      },
    ]);
    expect(result.matched).toBe(1);
    await expect.poll(() => outboxOf(a), { timeout: 5_000 }).toEqual([]);
    await expect.poll(() => outboxOf(b), { timeout: 5_000 }).toEqual([]);
    expect((await published()).map((e) => `${e.type} ${e.subject}`).sort()).toEqual(
      [`identity.member.registered ${b}`, `identity.profile.updated ${a}`].sort(),
    );
  });

  it('relays entries a crash left behind once started, without a new write', async () => {
    const idle = new OutboxRelay(new EventPublisher(bus, logger), logger, { pollMs: 60_000 });
    const writer = new Outbox(idle).for(Accounts);
    const id = idOf(6);
    await writer.insert({ _id: id, email: 'left@example.org' }, [registered(id)], at);
    // A fresh process: its relay registers the model and, once started, finds the pending entry.
    const next = new OutboxRelay(new EventPublisher(bus, logger), logger, { pollMs: 60_000 });
    new Outbox(next).for(Accounts);
    next.start();
    try {
      await expect.poll(() => outboxOf(id), { timeout: 5_000 }).toEqual([]);
      expect((await published()).map((e) => e.subject)).toEqual([id]);
    } finally {
      await Promise.all([idle.stop(), next.stop()]);
    }
  });

  it('refuses updates that touch the outbox itself, and models without one', async () => {
    const id = idOf(7);
    await expect(accounts.update({ _id: id }, { $set: { outbox: [] } }, [], at)).rejects.toThrow(
      /outbox is written by OutboxWriter/,
    );
    await expect(
      accounts.update({ _id: id }, { $pull: { 'outbox._id': 'x' } }, [], at),
    ).rejects.toThrow(/outbox is written by OutboxWriter/);
    const pipeline = [{ $set: { email: 'x@example.org' } }] as unknown as UpdateQuery<Account>;
    await expect(accounts.update({ _id: id }, pipeline, [], at)).rejects.toThrow(
      /pipeline update cannot carry events/,
    );
    const Plain = mongo.connection.model('Plain', new Schema({ name: String }));
    expect(() => new Outbox(relay).for(Plain as unknown as Model<Account>)).toThrow(
      'Plain has no outbox: add `outbox: outboxSchemaField` to its schema',
    );
  });

  it('refuses event data that breaks the contract before writing anything', async () => {
    const id = idOf(8);
    const bad = pendingEvent(identityEvents.profileUpdated, id, id, { memberId: id, fields: [] });
    await expect(accounts.insert({ _id: id, email: 'bad@example.org' }, [bad], at)).rejects.toThrow(
      /does not match the contract/,
    );
    expect(await Accounts.findById(id).lean().exec()).toBeNull();
  });
});
