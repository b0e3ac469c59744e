// socket.io on the gateway, against a real nats-server: handshake auth with reasons a client can act
// on (a suspended or deleted account's, an ended session's, a demoted admin's token refused from
// identity's events in AGORA_IDENTITY), the member's room, ping, and the relay of domain events
// published on the bus (suspension and ended sessions disconnect live sockets at once).
import { randomBytes, randomUUID } from 'node:crypto';
import { AccessTokenSigner } from '@agora/platform';
import { startNatsServer, testAccessKeys, type NatsServerHandle } from '@agora/platform/testing';
import {
  accountEvents,
  identityEvents,
  socketPath,
  streams,
  type ClientToServerEvents,
  type EventDef,
  type ServerToClientEvents,
} from '@agora/proto';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { io, type Socket } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from './gateway-fixture.js';

type Client = Socket<ServerToClientEvents, ClientToServerEvents>;
const keys = testAccessKeys();
let nats: NatsServerHandle;
let gw: TestGateway;
let bus: NatsConnection;
let tokens: AccessTokenSigner;
const open: Client[] = [];

beforeAll(async () => {
  nats = await startNatsServer();
  bus = await connect({ servers: nats.url });
  // Identity's stream, as identity provisions it: the gateway's access view reads it.
  await (
    await jetstreamManager(bus)
  ).streams.add({ name: streams.identity.name, subjects: [...streams.identity.subjects] });
  gw = await startTestGateway({ NATS_URL: nats.url, AUTH_PUBLIC_KEY: keys.publicKey });
  tokens = new AccessTokenSigner(keys.signingKey);
});
afterEach(() => {
  for (const s of open.splice(0)) s.disconnect();
});
afterAll(async () => {
  await bus?.close();
  await gw?.stop();
  await nats?.stop();
});

const newMember = (): string => randomBytes(12).toString('hex');

function client(auth?: Record<string, unknown>): Client {
  const s: Client = io(gw.base, {
    path: socketPath,
    auth,
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
  });
  open.push(s);
  return s;
}

function refusal(
  s: Client,
): Promise<{ message: string; data?: { code: string; message: string } }> {
  return new Promise((resolve, reject) => {
    s.once('connect', () => reject(new Error('connected but should have been refused')));
    s.once('connect_error', (err: Error & { data?: { code: string; message: string } }) =>
      resolve(err),
    );
  });
}

function ready(s: Client): Promise<{ memberId: string; serverTime: string }> {
  return new Promise((resolve, reject) => {
    s.once('ready', resolve);
    s.once('connect_error', reject);
  });
}

function next<E extends keyof ServerToClientEvents>(
  s: Client,
  event: E,
  timeoutMs = 5_000,
): Promise<Parameters<ServerToClientEvents[E]>[0]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no ${event} within ${timeoutMs} ms`)),
      timeoutMs,
    );
    (s.once as (e: string, fn: (p: unknown) => void) => void)(event, (payload) => {
      clearTimeout(timer);
      resolve(payload as Parameters<ServerToClientEvents[E]>[0]);
    });
  });
}

async function publish(def: EventDef, memberId: string, data: unknown): Promise<void> {
  const envelope = {
    id: randomUUID(),
    type: def.type,
    occurredAt: new Date().toISOString(),
    actor: memberId,
    subject: memberId,
    data,
    v: def.v,
  };
  bus.publish(def.subject, JSON.stringify(envelope));
  await bus.flush();
}

/** Retries a handshake until the gateway refuses it (its view follows the stream within moments). */
async function refusedSoon(
  token: string,
): Promise<{ message: string; data?: { code: string; message: string } }> {
  const deadline = Date.now() + 5_000;
  for (;;) {
    const s = client({ token });
    const outcome = await new Promise<
      { message: string; data?: { code: string; message: string } } | 'connected'
    >((resolve) => {
      s.once('ready', () => resolve('connected'));
      s.once('connect_error', (err: Error & { data?: { code: string; message: string } }) =>
        resolve(err),
      );
    });
    s.disconnect();
    if (outcome !== 'connected') return outcome;
    if (Date.now() > deadline) throw new Error('still connects');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('gateway socket.io', () => {
  it("refuses the tokens of a deleted or suspended account, of an ended session and a demoted admin's, at the handshake", async () => {
    const [deleted, suspended, signedOut, demoted] = [
      newMember(),
      newMember(),
      newMember(),
      newMember(),
    ];
    const ended = randomUUID();
    const kept = randomUUID();
    await publish(identityEvents.memberDeleted, deleted, { memberId: deleted });
    await publish(accountEvents.memberSuspended, suspended, { memberId: suspended });
    await publish(accountEvents.sessionsRevoked, signedOut, {
      memberId: signedOut,
      sessionIds: [ended],
      cause: 'revoked',
    });
    await publish(identityEvents.roleChanged, demoted, {
      memberId: demoted,
      role: 'member',
      previous: 'admin',
    });
    const cases: [string, 'member' | 'admin', string | undefined, RegExp][] = [
      [deleted, 'member', undefined, /account deleted/],
      [suspended, 'member', randomUUID(), /account suspended/],
      [signedOut, 'member', ended, /session ended/],
      [demoted, 'admin', randomUUID(), /role changed/],
    ];
    for (const [sub, role, sid, why] of cases) {
      const { token } = await tokens.sign({ sub, role, ...(sid ? { sid } : {}) });
      const refused = await refusedSoon(token);
      // TOKEN_EXPIRED: the client refreshes, which identity refuses for an account or session that ended.
      expect(refused.data?.code).toBe('TOKEN_EXPIRED');
      expect(refused.data?.message).toMatch(why);
    }
    // The same members' other tokens: another session, the role they have now.
    await ready(
      client({ token: (await tokens.sign({ sub: signedOut, role: 'member', sid: kept })).token }),
    );
    await ready(client({ token: (await tokens.sign({ sub: demoted, role: 'member' })).token }));
    // Reinstated: accepted again.
    await publish(accountEvents.memberReinstated, suspended, { memberId: suspended });
    const back = (await tokens.sign({ sub: suspended, role: 'member', sid: kept })).token;
    const deadline = Date.now() + 5_000;
    for (;;) {
      try {
        await ready(client({ token: back }));
        break;
      } catch (err) {
        if (Date.now() > deadline) throw err;
        await new Promise((r) => setTimeout(r, 50));
      }
    }
  });

  it('disconnects a live socket at once when its session ends or its account is suspended', async () => {
    const erin = newMember();
    const [a, b] = [randomUUID(), randomUUID()];
    const laptop = client({
      token: (await tokens.sign({ sub: erin, role: 'member', sid: a })).token,
    });
    const phone = client({
      token: (await tokens.sign({ sub: erin, role: 'member', sid: b })).token,
    });
    await Promise.all([ready(laptop), ready(phone)]);

    const laptopOut = next(laptop, 'session.expired');
    const laptopGone = new Promise<string>((resolve) => laptop.once('disconnect', resolve));
    await publish(accountEvents.sessionsRevoked, erin, {
      memberId: erin,
      sessionIds: [a],
      cause: 'revoked',
    });
    expect(await laptopOut).toEqual({ reason: 'session ended' });
    expect(await laptopGone).toBe('io server disconnect');
    expect(phone.connected).toBe(true);

    const phoneOut = next(phone, 'session.expired');
    await publish(accountEvents.memberSuspended, erin, { memberId: erin });
    expect(await phoneOut).toEqual({ reason: 'account suspended' });
  });

  it('refuses a handshake without a token, with a bad one, or an expired one, saying why', async () => {
    const missing = await refusal(client());
    expect(missing.data?.code).toBe('UNAUTHENTICATED');
    const bad = await refusal(client({ token: 'garbage' }));
    expect(bad.data?.code).toBe('UNAUTHENTICATED');
    const forged = await new AccessTokenSigner(testAccessKeys().signingKey).sign({
      sub: newMember(),
      role: 'member',
    });
    expect((await refusal(client({ token: forged.token }))).data?.code).toBe('UNAUTHENTICATED');
    const expired = await tokens.sign(
      { sub: newMember(), role: 'member' },
      new Date(Date.now() - 3_600_000),
    );
    const e = await refusal(client({ token: expired.token }));
    expect(e.data).toEqual({
      code: 'TOKEN_EXPIRED',
      message: expect.stringContaining('refresh') as string,
    });
  });

  it('accepts a good token, says ready and answers ping', async () => {
    const memberId = newMember();
    const { token } = await tokens.sign({ sub: memberId, role: 'member' });
    const s = client({ token });
    const hello = await ready(s);
    expect(hello.memberId).toBe(memberId);
    const reply: unknown = await s.timeout(2_000).emitWithAck('ping', { sentAt: 123 });
    expect(reply).toMatchObject({ ok: true, data: { sentAt: 123 } });
    const badPing = await (
      s.timeout(2_000) as unknown as { emitWithAck(e: string, p: unknown): Promise<unknown> }
    ).emitWithAck('ping', { sentAt: 'x', extra: 1 });
    expect(badPing).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
  });

  it('limits handshakes per client address (as REST does), saying when to retry', async () => {
    const strict = await startTestGateway({
      NATS_URL: nats.url,
      AUTH_PUBLIC_KEY: keys.publicKey,
      RATE_LIMIT_IP_BURST: '3',
      RATE_LIMIT_IP_PER_SEC: '0.1',
    });
    const from = (ip: string, token: string): Client => {
      const s: Client = io(strict.base, {
        path: socketPath,
        auth: { token },
        transports: ['websocket'],
        reconnection: false,
        forceNew: true,
        extraHeaders: { 'X-Forwarded-For': ip },
      });
      open.push(s);
      return s;
    };
    try {
      const { token } = await tokens.sign({ sub: newMember(), role: 'member' });
      // Bad tokens spend the budget too: guessing is what the limit is for.
      await refusal(from('203.0.113.7', 'garbage'));
      await ready(from('203.0.113.7', token));
      await ready(from('203.0.113.7', token));
      const refused = await refusal(from('203.0.113.7', token));
      expect(refused.data).toEqual({
        code: 'RATE_LIMITED',
        message: expect.stringContaining('retry in') as string,
        retryAfterSeconds: 10,
      });
      // Another address has its own budget.
      await ready(from('203.0.113.8', token));
    } finally {
      await strict.stop();
    }
  });

  it('limits transport handshakes per address even when they never authenticate (polling included)', async () => {
    const strict = await startTestGateway({
      NATS_URL: nats.url,
      AUTH_PUBLIC_KEY: keys.publicKey,
      RATE_LIMIT_IP_BURST: '3',
      RATE_LIMIT_IP_PER_SEC: '0.1',
    });
    try {
      const poll = (ip: string) =>
        fetch(`${strict.base}${socketPath}/?EIO=4&transport=polling`, {
          headers: { 'x-forwarded-for': ip },
        }).then(async (r) => {
          await r.arrayBuffer();
          return r.status;
        });
      const statuses: number[] = [];
      for (let i = 0; i < 8; i++) statuses.push(await poll('203.0.113.30'));
      // Twice the address's REST budget of 3, then refused.
      expect(statuses.slice(0, 6)).toEqual([200, 200, 200, 200, 200, 200]);
      expect(statuses.slice(6).every((st) => st !== 200)).toBe(true);
      expect(await poll('203.0.113.31')).toBe(200);
    } finally {
      await strict.stop();
    }
  });

  it('limits the messages of one connection: a ping flood is answered RATE_LIMITED, then it recovers', async () => {
    const { token } = await tokens.sign({ sub: newMember(), role: 'member' });
    const s = client({ token });
    await ready(s);
    const replies = (await Promise.all(
      Array.from({ length: 200 }, (_, i) => s.timeout(5_000).emitWithAck('ping', { sentAt: i })),
    )) as { ok: boolean; error?: { code: string } }[];
    const limited = replies.filter((r) => !r.ok);
    expect(limited.length).toBeGreaterThan(100);
    expect(limited.every((r) => r.error?.code === 'RATE_LIMITED')).toBe(true);
    await new Promise((r) => setTimeout(r, 500));
    expect(await s.timeout(2_000).emitWithAck('ping', { sentAt: 1 })).toMatchObject({ ok: true });
  });

  it('relays profile, avatar and cover events to that member only', async () => {
    const alice = newMember();
    const bob = newMember();
    const a = client({ token: (await tokens.sign({ sub: alice, role: 'member' })).token });
    const b = client({ token: (await tokens.sign({ sub: bob, role: 'member' })).token });
    await Promise.all([ready(a), ready(b)]);
    const bobHeard: unknown[] = [];
    b.on('me.updated', (p) => bobHeard.push(p));

    const got = next(a, 'me.updated');
    await publish(identityEvents.profileUpdated, alice, {
      memberId: alice,
      fields: ['bio', 'organisation'],
    });
    expect(await got).toEqual({ fields: ['bio', 'organisation'] });
    const avatar = next(a, 'me.updated');
    await publish(identityEvents.avatarChanged, alice, {
      memberId: alice,
      avatarUrl: '/api/media/' + 'a'.repeat(64),
    });
    expect(await avatar).toEqual({ fields: ['avatarUrl'] });
    // An invalid event is dropped, not relayed.
    await publish(identityEvents.profileUpdated, alice, { memberId: alice, fields: [] });
    await new Promise((r) => setTimeout(r, 200));
    expect(bobHeard).toEqual([]);
  });

  it('ends the sessions of a member whose role changed or whose account was deleted', async () => {
    const carol = newMember();
    const s1 = client({ token: (await tokens.sign({ sub: carol, role: 'member' })).token });
    const s2 = client({ token: (await tokens.sign({ sub: carol, role: 'member' })).token });
    await Promise.all([ready(s1), ready(s2)]);
    const updated = next(s1, 'me.updated');
    const expired = Promise.all([next(s1, 'session.expired'), next(s2, 'session.expired')]);
    const gone = new Promise<string>((resolve) => s1.once('disconnect', resolve));
    await publish(identityEvents.roleChanged, carol, {
      memberId: carol,
      role: 'facilitator',
      previous: 'member',
    });
    expect(await updated).toEqual({ fields: ['role'] });
    expect((await expired).map((p) => p.reason)).toEqual(['role changed', 'role changed']);
    expect(await gone).toBe('io server disconnect');

    const dave = newMember();
    const s3 = client({ token: (await tokens.sign({ sub: dave, role: 'member' })).token });
    await ready(s3);
    const bye = next(s3, 'session.expired');
    await publish(identityEvents.memberDeleted, dave, { memberId: dave });
    expect(await bye).toEqual({ reason: 'account deleted' });
  });

  it('says session.expired and disconnects when the token expires while connected', async () => {
    const shortLived = new AccessTokenSigner(keys.signingKey, 1);
    const { token } = await shortLived.sign({ sub: newMember(), role: 'member' });
    const s = client({ token });
    await ready(s);
    const expired = next(s, 'session.expired', 4_000);
    const gone = new Promise<string>((resolve) => s.once('disconnect', resolve));
    expect(await expired).toEqual({ reason: 'access token expired' });
    expect(await gone).toBe('io server disconnect');
  });

  it('keeps relaying after the nats-server restarts (readyz follows the outage)', async () => {
    const erin = newMember();
    const s = client({ token: (await tokens.sign({ sub: erin, role: 'member' })).token });
    await ready(s);
    await bus.close();
    await nats.kill(); // a crash, not a clean stop
    const readyzBecomes = async (status: number): Promise<void> => {
      const deadline = Date.now() + 15_000;
      while ((await fetch(`${gw.base}/readyz`)).status !== status) {
        if (Date.now() > deadline) throw new Error(`readyz did not answer ${status}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    await readyzBecomes(503);
    await nats.restart();
    await readyzBecomes(200);
    bus = await connect({ servers: nats.url });
    // The gateway's core subscription is restored by its client on reconnect; give the SUB a moment to land.
    let heard: { fields: string[] } | undefined;
    for (let attempt = 0; attempt < 20 && !heard; attempt += 1) {
      const got = next(s, 'me.updated', 250).catch(() => undefined);
      await publish(identityEvents.profileUpdated, erin, { memberId: erin, fields: ['languages'] });
      heard = await got;
    }
    expect(heard).toEqual({ fields: ['languages'] });
    expect(s.connected).toBe(true);
  });
});
