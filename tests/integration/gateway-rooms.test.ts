// socket.io rooms beyond the member's own, against a real nats-server: a stand-in for spaces and chat
// answers the proto access RPCs (Nest's NATS wire format), a socket joins `space:` and `channel:`
// rooms only when it says yes, hears what the proto live routes send to those rooms, and is taken
// out of them when the membership-removed events arrive.
import { randomBytes, randomUUID } from 'node:crypto';
import { AccessTokenSigner } from '@agora/platform';
import { startNatsServer, testAccessKeys, type NatsServerHandle } from '@agora/platform/testing';
import {
  chatEvents,
  chatRpc,
  maxRoomsPerSocket,
  socketPath,
  spacesEvents,
  spacesRpc,
  type ClientToServerEvents,
  type EventDef,
  type RpcDef,
  type ServerToClientEvents,
  type SpaceRole,
} from '@agora/proto';
import { connect, type Msg, type NatsConnection, type Subscription } from '@nats-io/transport-node';
import { io, type Socket } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { freshIp, startTestGateway, type TestGateway } from './gateway-fixture.js';

type Client = Socket<ServerToClientEvents, ClientToServerEvents>;
type AckReply = { ok: true; data: unknown } | { ok: false; error: { code: string } };
const keys = testAccessKeys();
let nats: NatsServerHandle;
let gw: TestGateway;
let bus: NatsConnection;
let tokens: AccessTokenSigner;
const open: Client[] = [];
const standIns: StandIn[] = [];

beforeAll(async () => {
  nats = await startNatsServer();
  // Room-bound test: 200+ joins by one member must not run into the member's or the socket's
  // message budget first.
  gw = await startTestGateway({
    NATS_URL: nats.url,
    AUTH_PUBLIC_KEY: keys.publicKey,
    RATE_LIMIT_MEMBER_BURST: '1000',
    RATE_LIMIT_SOCKET_BURST: '1000',
  });
  bus = await connect({ servers: nats.url });
  tokens = new AccessTokenSigner(keys.signingKey);
});
afterEach(async () => {
  for (const s of open.splice(0)) s.disconnect();
  for (const s of standIns.splice(0)) s.stop();
  await bus.flush();
});
afterAll(async () => {
  await bus?.close();
  await gw?.stop();
  await nats?.stop();
});

const newId = (): string => randomBytes(12).toString('hex');

/**
 * Answers one access RPC like the owning service would (request `{ pattern, data, id }`, reply
 * `{ id, response }`), from `decide`; records each validated request. `hold` keeps the replies
 * back until `release()`.
 */
interface StandIn {
  requests: unknown[];
  hold: boolean;
  release(): void;
  stop(): void;
}
async function standIn<D extends RpcDef>(
  def: D,
  decide: (request: ReturnType<D['request']['parse']>) => unknown,
): Promise<StandIn> {
  const held: (() => void)[] = [];
  const state: StandIn = {
    requests: [],
    hold: false,
    release: () => {
      for (const answer of held.splice(0)) answer();
    },
    stop: () => sub.unsubscribe(),
  };
  const sub: Subscription = bus.subscribe(def.subject, {
    queue: def.context,
    callback: (_err, msg: Msg) => {
      const packet = JSON.parse(msg.string()) as { id: string; data: unknown };
      const request = def.request.parse(packet.data) as ReturnType<D['request']['parse']>;
      state.requests.push(request);
      const answer = (): void => {
        msg.respond(JSON.stringify({ id: packet.id, response: decide(request), isDisposed: true }));
      };
      if (state.hold) held.push(answer);
      else answer();
    },
  });
  await bus.flush();
  standIns.push(state);
  return state;
}

/** Spaces that say yes for the listed (member, space) pairs, with their role. */
function spaces(members: Map<string, SpaceRole>): Promise<StandIn> {
  return standIn(spacesRpc.roomAccess, ({ memberId, spaceId }) => {
    const role = members.get(`${memberId}/${spaceId}`);
    return role ? { allowed: true, role } : { allowed: false, role: null };
  });
}

async function member(memberId = newId()): Promise<{ memberId: string; socket: Client }> {
  const { token } = await tokens.sign({ sub: memberId, role: 'member' });
  const socket: Client = io(gw.base, {
    path: socketPath,
    auth: { token },
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    extraHeaders: { 'X-Forwarded-For': freshIp() },
  });
  open.push(socket);
  await new Promise((resolve, reject) => {
    socket.once('ready', resolve);
    socket.once('connect_error', reject);
  });
  return { memberId, socket };
}

/** Emits with an ack; the payload is `unknown` so tests can send what a hostile client would. */
function ask(
  socket: Client,
  event: keyof ClientToServerEvents,
  payload: unknown,
): Promise<AckReply> {
  return (
    socket.timeout(10_000) as unknown as {
      emitWithAck(e: string, p: unknown): Promise<AckReply>;
    }
  ).emitWithAck(event, payload);
}

/** Collects one socket event's payloads. */
function heard<E extends keyof ServerToClientEvents>(socket: Client, event: E): unknown[] {
  const seen: unknown[] = [];
  (socket.on as (e: string, fn: (p: unknown) => void) => void)(event, (p) => seen.push(p));
  return seen;
}

async function publish(def: EventDef, data: unknown): Promise<void> {
  const envelope = {
    id: randomUUID(),
    type: def.type,
    occurredAt: new Date().toISOString(),
    actor: null,
    subject: newId(),
    data,
    v: def.v,
  };
  bus.publish(def.subject, JSON.stringify(envelope));
  await bus.flush();
}

async function eventually(check: () => void, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      check();
      return;
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 25));
    }
  }
}

/** Long enough for an event that should not arrive to have arrived on one machine. */
const settle = (): Promise<void> => new Promise((r) => setTimeout(r, 300));

describe('gateway rooms', () => {
  it('joins a space room only when spaces says yes, asking with the member of the token', async () => {
    const spaceId = newId();
    const alice = await member();
    const mallory = await member();
    const stand = await spaces(new Map([[`${alice.memberId}/${spaceId}`, 'lead']]));

    expect(await ask(alice.socket, 'space.join', { spaceId })).toEqual({
      ok: true,
      data: { spaceId, role: 'lead' },
    });
    expect(await ask(mallory.socket, 'space.join', { spaceId })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    expect(stand.requests).toEqual([
      { memberId: alice.memberId, spaceId },
      { memberId: mallory.memberId, spaceId },
    ]);

    // Only the member who was let in hears the room (a route of spacesEvents to `space:<id>`).
    const aliceHeard = heard(alice.socket, 'space.member.removed');
    const malloryHeard = heard(mallory.socket, 'space.member.removed');
    const gone = newId();
    await publish(spacesEvents.membershipRemoved, { spaceId, memberId: gone });
    await eventually(() => expect(aliceHeard).toEqual([{ spaceId, memberId: gone }]));
    await settle();
    expect(malloryHeard).toEqual([]);
  });

  it('refuses malformed joins and leaves without asking anyone', async () => {
    const stand = await spaces(new Map());
    const { memberId, socket } = await member();
    const bad: [keyof ClientToServerEvents, unknown][] = [
      ['space.join', { spaceId: 'nope' }],
      ['space.join', { spaceId: newId().toUpperCase() }],
      ['space.join', { spaceId: newId(), memberId }],
      ['space.join', {}],
      ['space.join', 'x'],
      ['space.leave', { spaceId: 42 }],
      ['channel.join', { channelId: newId().slice(1) }],
      ['channel.leave', { spaceId: newId() }],
    ];
    for (const [event, payload] of bad) {
      const reply = await ask(socket, event, payload);
      expect(reply, `${event} ${JSON.stringify(payload)}`).toMatchObject({
        ok: false,
        error: { code: 'VALIDATION_FAILED' },
      });
    }
    expect(stand.requests).toEqual([]);
  });

  it('answers UNAVAILABLE when no service answers, and joins once one does', async () => {
    const { memberId, socket } = await member();
    const spaceId = newId();
    const channelId = newId();
    expect(await ask(socket, 'space.join', { spaceId })).toMatchObject({
      ok: false,
      error: { code: 'UNAVAILABLE' },
    });
    expect(await ask(socket, 'channel.join', { channelId })).toMatchObject({
      ok: false,
      error: { code: 'UNAVAILABLE' },
    });
    await spaces(new Map([[`${memberId}/${spaceId}`, 'viewer']]));
    expect(await ask(socket, 'space.join', { spaceId })).toEqual({
      ok: true,
      data: { spaceId, role: 'viewer' },
    });
  });

  it('takes every socket of a removed member out of the space room, and tells them', async () => {
    const spaceId = newId();
    const alice = await member();
    const bob = await member();
    const bobAgain = await member(bob.memberId); // a second tab
    await spaces(
      new Map([
        [`${alice.memberId}/${spaceId}`, 'lead'],
        [`${bob.memberId}/${spaceId}`, 'co-author'],
      ]),
    );
    for (const s of [alice.socket, bob.socket, bobAgain.socket]) {
      expect(await ask(s, 'space.join', { spaceId })).toMatchObject({ ok: true });
    }
    const aliceHeard = heard(alice.socket, 'space.member.removed');
    const bobHeard = [
      heard(bob.socket, 'space.member.removed'),
      heard(bobAgain.socket, 'space.member.removed'),
    ];
    const bobLeft = [heard(bob.socket, 'space.left'), heard(bobAgain.socket, 'space.left')];

    await publish(spacesEvents.membershipRemoved, { spaceId, memberId: bob.memberId });
    await eventually(() => {
      expect(aliceHeard).toEqual([{ spaceId, memberId: bob.memberId }]);
      for (const left of bobLeft) expect(left).toEqual([{ spaceId }]);
    });

    // Bob's sockets are out of the room: the next room event reaches Alice only.
    const carol = newId();
    await publish(spacesEvents.membershipRemoved, { spaceId, memberId: carol });
    await eventually(() => expect(aliceHeard).toHaveLength(2));
    await settle();
    for (const h of bobHeard) expect(h).toEqual([]);
    expect(bob.socket.connected && bobAgain.socket.connected).toBe(true);
  });

  it('asks spaces again for the whole room when rights on its space change, and drops the refused', async () => {
    const spaceId = newId();
    const alice = await member();
    const bob = await member();
    const table = new Map<string, SpaceRole>([
      [`${alice.memberId}/${spaceId}`, 'lead'],
      [`${bob.memberId}/${spaceId}`, 'viewer'],
    ]);
    await spaces(table);
    for (const s of [alice.socket, bob.socket])
      expect(await ask(s, 'space.join', { spaceId })).toMatchObject({ ok: true });
    const aliceHeard = heard(alice.socket, 'space.member.removed');
    const bobHeard = heard(bob.socket, 'space.member.removed');
    const bobLeft = heard(bob.socket, 'space.left');
    const aliceLeft = heard(alice.socket, 'space.left');

    // The proposal is closed to members again: Bob, a viewer through it, may no longer follow.
    table.delete(`${bob.memberId}/${spaceId}`);
    await publish(spacesEvents.docAccessChanged, { spaceId, kind: 'proposal' });
    await eventually(() => expect(bobLeft).toEqual([{ spaceId }]));

    await publish(spacesEvents.membershipRemoved, { spaceId, memberId: newId() });
    await eventually(() => expect(aliceHeard).toHaveLength(1));
    await settle();
    expect(bobHeard).toEqual([]);
    expect(aliceLeft).toEqual([]);
  });

  it('cancels a join still waiting for spaces when the removal arrives first', async () => {
    const spaceId = newId();
    const alice = await member();
    const bob = await member();
    const stand = await spaces(
      new Map([
        [`${alice.memberId}/${spaceId}`, 'lead'],
        [`${bob.memberId}/${spaceId}`, 'viewer'],
      ]),
    );
    expect(await ask(alice.socket, 'space.join', { spaceId })).toMatchObject({ ok: true });
    stand.hold = true;
    const joining = ask(bob.socket, 'space.join', { spaceId });
    await eventually(() => expect(stand.requests).toHaveLength(2));
    const bobLeft = heard(bob.socket, 'space.left');
    await publish(spacesEvents.membershipRemoved, { spaceId, memberId: bob.memberId });
    await eventually(() => expect(bobLeft).toEqual([{ spaceId }]));
    stand.release(); // spaces answers from the state before the removal: allowed
    expect(await joining).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });

    const bobHeard = heard(bob.socket, 'space.member.removed');
    const aliceHeard = heard(alice.socket, 'space.member.removed');
    await publish(spacesEvents.membershipRemoved, { spaceId, memberId: newId() });
    await eventually(() => expect(aliceHeard).toHaveLength(1));
    await settle();
    expect(bobHeard).toEqual([]);
  });

  it('leaves a room on request, and a leave of a room not joined succeeds', async () => {
    const spaceId = newId();
    const { memberId, socket } = await member();
    const witness = await member();
    await spaces(
      new Map([
        [`${memberId}/${spaceId}`, 'member'],
        [`${witness.memberId}/${spaceId}`, 'owner'],
      ]),
    );
    expect(await ask(socket, 'space.join', { spaceId })).toMatchObject({ ok: true });
    expect(await ask(witness.socket, 'space.join', { spaceId })).toMatchObject({ ok: true });
    expect(await ask(socket, 'space.leave', { spaceId })).toEqual({ ok: true, data: { spaceId } });
    expect(await ask(socket, 'space.leave', { spaceId: newId() })).toMatchObject({ ok: true });

    const mine = heard(socket, 'space.member.removed');
    const theirs = heard(witness.socket, 'space.member.removed');
    await publish(spacesEvents.membershipRemoved, { spaceId, memberId: newId() });
    await eventually(() => expect(theirs).toHaveLength(1));
    await settle();
    expect(mine).toEqual([]);
  });

  it('joins channel rooms as chat says, and drops the member on channel-member removed', async () => {
    const channelId = newId();
    const alice = await member();
    const bob = await member();
    const mallory = await member();
    const allowed = new Set([`${alice.memberId}/${channelId}`, `${bob.memberId}/${channelId}`]);
    const stand = await standIn(chatRpc.channelAccess, ({ memberId, channelId: c }) => ({
      allowed: allowed.has(`${memberId}/${c}`),
    }));
    expect(await ask(alice.socket, 'channel.join', { channelId })).toEqual({
      ok: true,
      data: { channelId },
    });
    expect(await ask(bob.socket, 'channel.join', { channelId })).toMatchObject({ ok: true });
    expect(await ask(mallory.socket, 'channel.join', { channelId })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    expect(stand.requests).toContainEqual({ memberId: mallory.memberId, channelId });

    const aliceHeard = heard(alice.socket, 'channel.member.removed');
    const bobHeard = heard(bob.socket, 'channel.member.removed');
    const bobLeft = heard(bob.socket, 'channel.left');
    await publish(chatEvents.channelMemberRemoved, { channelId, memberId: bob.memberId });
    await eventually(() => {
      expect(aliceHeard).toEqual([{ channelId, memberId: bob.memberId }]);
      expect(bobLeft).toEqual([{ channelId }]);
    });
    await publish(chatEvents.channelMemberRemoved, { channelId, memberId: newId() });
    await eventually(() => expect(aliceHeard).toHaveLength(2));
    await settle();
    expect(bobHeard).toEqual([]);
  });

  it(`bounds a socket to ${maxRoomsPerSocket} rooms besides its own`, async () => {
    const { socket } = await member();
    await standIn(spacesRpc.roomAccess, () => ({ allowed: true, role: 'participant' }));
    const ids = Array.from({ length: maxRoomsPerSocket }, newId);
    // Sent together: joins still in flight count too, so a burst cannot overshoot the bound.
    const replies = await Promise.all(
      [...ids, newId()].map((spaceId) => ask(socket, 'space.join', { spaceId })),
    );
    expect(replies.filter((r) => r.ok)).toHaveLength(maxRoomsPerSocket);
    expect(replies.flatMap((r) => (r.ok ? [] : [r.error.code]))).toEqual(['CONFLICT']);
    // Joining a room it is already in is no new room; leaving one makes space.
    expect(await ask(socket, 'space.join', { spaceId: ids[0] })).toMatchObject({ ok: true });
    expect(await ask(socket, 'space.leave', { spaceId: ids[0] })).toMatchObject({ ok: true });
    expect(await ask(socket, 'space.join', { spaceId: newId() })).toMatchObject({ ok: true });
  });

  it("spends the member's rate budget on joins", async () => {
    const strict = await startTestGateway({
      NATS_URL: nats.url,
      AUTH_PUBLIC_KEY: keys.publicKey,
      RATE_LIMIT_MEMBER_BURST: '2',
      RATE_LIMIT_MEMBER_PER_SEC: '0.1',
    });
    try {
      await standIn(spacesRpc.roomAccess, () => ({ allowed: true, role: 'member' }));
      const { token } = await tokens.sign({ sub: newId(), role: 'member' });
      const socket: Client = io(strict.base, {
        path: socketPath,
        auth: { token },
        transports: ['websocket'],
        reconnection: false,
        forceNew: true,
      });
      open.push(socket);
      await new Promise((resolve) => socket.once('ready', resolve));
      expect(await ask(socket, 'space.join', { spaceId: newId() })).toMatchObject({ ok: true });
      expect(await ask(socket, 'space.join', { spaceId: newId() })).toMatchObject({ ok: true });
      expect(await ask(socket, 'space.join', { spaceId: newId() })).toMatchObject({
        ok: false,
        error: { code: 'RATE_LIMITED', details: { retryAfterSeconds: 10 } },
      });
    } finally {
      await strict.stop();
    }
  });
});
