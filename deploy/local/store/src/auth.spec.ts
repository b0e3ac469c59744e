import { createHash, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Binary, MongoClient, MongoServerError, type Db, type Document } from 'mongodb';
import mongoose from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStore, type RunningStore } from './server.js';

const auth = { user: 'agora', password: 'a password, with commas=and equals' };
const wrong = { ...auth, password: 'not the password at all' };

const url = (port: number, c: { user: string; password: string }, query = 'authSource=admin') =>
  `mongodb://${encodeURIComponent(c.user)}:${encodeURIComponent(c.password)}@127.0.0.1:${port}/?${query}`;

const hmac = (key: Buffer, text: string) => createHmac('sha256', key).update(text).digest();
const text = (payload: unknown) => Buffer.from((payload as Binary).value()).toString('utf8');

/** A hand-run SCRAM exchange, without skipEmptyExchange: the three-step form older drivers use. */
async function scramByHand(admin: Db, password: string): Promise<Document[]> {
  const firstBare = `n=${auth.user},r=${randomBytes(18).toString('base64')}`;
  const start = await admin.command({
    saslStart: 1,
    mechanism: 'SCRAM-SHA-256',
    payload: new Binary(Buffer.from(`n,,${firstBare}`)),
  });
  const serverFirst = text(start.payload);
  const attrs = new Map(serverFirst.split(',').map((p) => [p.slice(0, 1), p.slice(2)]));
  const salted = pbkdf2Sync(
    password,
    Buffer.from(attrs.get('s') ?? '', 'base64'),
    Number(attrs.get('i')),
    32,
    'sha256',
  );
  const clientKey = hmac(salted, 'Client Key');
  const withoutProof = `c=biws,r=${attrs.get('r') ?? ''}`;
  const authMessage = `${firstBare},${serverFirst},${withoutProof}`;
  const signature = hmac(createHash('sha256').update(clientKey).digest(), authMessage);
  const proof = Buffer.from(clientKey.map((b, i) => b ^ signature[i]!)).toString('base64');
  const final = await admin.command({
    saslContinue: 1,
    conversationId: start.conversationId as number,
    payload: new Binary(Buffer.from(`${withoutProof},p=${proof}`)),
  });
  const ack = await admin.command({
    saslContinue: 1,
    conversationId: start.conversationId as number,
    payload: new Binary(Buffer.alloc(0)),
  });
  return [start, final, ack];
}

async function failure(fn: () => Promise<unknown>): Promise<MongoServerError> {
  try {
    await fn();
  } catch (err) {
    if (err instanceof MongoServerError) return err;
    throw err;
  }
  throw new Error('expected a server error');
}

describe('store authentication', () => {
  let dbpath: string;
  let store: RunningStore;
  const lines: string[] = [];
  const anonymous: MongoClient[] = [];
  const connectAnonymously = async () => {
    // one connection, so a hand-run SASL exchange stays on it
    const client = await MongoClient.connect(store.address, {
      maxPoolSize: 1,
      serverSelectionTimeoutMS: 3000,
    });
    anonymous.push(client);
    return client;
  };

  beforeAll(async () => {
    dbpath = mkdtempSync(join(tmpdir(), 'agora-store-auth-'));
    store = await startStore({ port: 0, dbpath, auth, logger: (l) => lines.push(l) });
  });

  afterAll(async () => {
    for (const c of anonymous) await c.close();
    await store?.close();
    rmSync(dbpath, { recursive: true, force: true });
  });

  it('lets a driver in with the right password, and mongoose with a user:pass@ URL', async () => {
    const client = await MongoClient.connect(url(store.port, auth));
    try {
      await client
        .db('a')
        .collection('c')
        .insertOne({ _id: 1 } as Document);
      expect(await client.db('a').collection('c').countDocuments()).toBe(1);
      const status = await client.db('admin').command({ connectionStatus: 1 });
      expect(status.authInfo).toEqual({
        authenticatedUsers: [{ user: 'agora', db: 'admin' }],
        authenticatedUserRoles: [{ role: 'root', db: 'admin' }],
      });
    } finally {
      await client.close();
    }
    const conn = await mongoose
      .createConnection(url(store.port, auth), { dbName: 'm', serverSelectionTimeoutMS: 3000 })
      .asPromise();
    try {
      const Note = conn.model('Note', new mongoose.Schema({ body: String }));
      await Note.create({ body: 'hi' });
      expect(await Note.countDocuments()).toBe(1);
    } finally {
      await conn.close();
    }
  });

  it('answers only the handshake, ping and connectionStatus before a login, as mongod does', async () => {
    const client = await connectAnonymously();
    const admin = client.db('admin');
    const hello = await admin.command({ hello: 1, saslSupportedMechs: 'admin.agora' });
    expect(hello.isWritablePrimary).toBe(true);
    expect(hello.saslSupportedMechs).toEqual(['SCRAM-SHA-256']);
    expect(
      (await admin.command({ hello: 1, saslSupportedMechs: 'admin.nobody' })).saslSupportedMechs,
    ).toBeUndefined();
    expect((await admin.command({ ping: 1 })).ok).toBe(1);
    expect((await admin.command({ connectionStatus: 1 })).authInfo).toEqual({
      authenticatedUsers: [],
      authenticatedUserRoles: [],
    });
    const db = client.db('a');
    for (const [name, run] of [
      ['find', () => db.collection('c').findOne({})],
      ['insert', () => db.collection('c').insertOne({ x: 1 })],
      ['listDatabases', () => admin.command({ listDatabases: 1 })],
      ['buildInfo', () => admin.command({ buildInfo: 1 })],
      ['getMore', () => db.command({ getMore: 1, collection: 'c' })],
      ['drop', () => db.command({ drop: 'c' })],
    ] as const) {
      const err = await failure(run);
      expect({ code: err.code, codeName: err.codeName, message: err.message }, name).toEqual({
        code: 13,
        codeName: 'Unauthorized',
        message: `command ${name} requires authentication`,
      });
    }
    expect((await failure(() => db.command({ noSuchThing: 1 }))).code).toBe(59);
    expect((await failure(() => db.command({ find: 'c', startTransaction: true }))).code).toBe(13);
  });

  it('refuses a wrong password, an unknown user and another authSource with AuthenticationFailed', async () => {
    for (const target of [
      url(store.port, wrong),
      url(store.port, { user: 'nobody', password: auth.password }),
      url(store.port, auth, 'authSource=agora'),
      url(store.port, auth, 'authSource=admin&authMechanism=SCRAM-SHA-1'),
    ]) {
      const client = new MongoClient(target, { serverSelectionTimeoutMS: 3000 });
      try {
        const err = await failure(() => client.connect());
        expect({ code: err.code, codeName: err.codeName, message: err.message }).toEqual({
          code: 18,
          codeName: 'AuthenticationFailed',
          message: 'Authentication failed.',
        });
      } finally {
        await client.close();
      }
    }
    const reasons = lines.filter((l) => /authentication failed/.test(l));
    expect(reasons.join('\n')).toMatch(/wrong password/);
    expect(reasons.join('\n')).toMatch(/unknown user "nobody"/);
    expect(reasons.join('\n')).toMatch(/no user in database "agora"/);
    expect(reasons.join('\n')).toMatch(/mechanism "SCRAM-SHA-1" is not supported/);
    expect(lines.join('\n')).not.toContain(wrong.password);
  });

  it('runs the three-step exchange (no skipEmptyExchange) and then serves that connection', async () => {
    const client = await connectAnonymously();
    const [start, final, ack] = await scramByHand(client.db('admin'), auth.password);
    expect(start).toMatchObject({ conversationId: 1, done: false, ok: 1 });
    expect(final).toMatchObject({ conversationId: 1, done: false, ok: 1 });
    expect(text(final!.payload)).toMatch(/^v=/);
    expect(ack).toMatchObject({ conversationId: 1, done: true, ok: 1 });
    expect(await client.db('a').collection('c').countDocuments()).toBe(1);
  });

  it('refuses a bad proof, and a saslContinue with no exchange under way', async () => {
    const client = await connectAnonymously();
    const admin = client.db('admin');
    expect((await failure(() => scramByHand(admin, wrong.password))).code).toBe(18);
    const stray = await failure(() =>
      admin.command({ saslContinue: 1, conversationId: 1, payload: new Binary(Buffer.alloc(0)) }),
    );
    expect({ code: stray.code, message: stray.message }).toEqual({
      code: 17,
      message: 'No SASL session state found',
    });
    expect((await failure(() => client.db('a').collection('c').findOne({}))).code).toBe(13);
  });

  it('keeps neither the password nor anything it logs in its files', async () => {
    await store.close();
    store = await startStore({ port: 0, dbpath, auth, logger: (l) => lines.push(l) });
    for (const name of readdirSync(dbpath))
      expect(readFileSync(join(dbpath, name)).includes(auth.password), name).toBe(false);
    expect(lines.join('\n')).not.toContain(auth.password);
  });
});
