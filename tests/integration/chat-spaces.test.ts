// A space's channel and presence through two gateway replicas, with the real spaces service: the
// channel follows the space's memberships, and who is online in the space shows on every replica
// within 2 s of joining, at once on a clean leave, and within 30 s of a connection that dropped.
import {
  createServer,
  connect as tcpConnect,
  type Server,
  type Socket as TcpSocket,
} from 'node:net';
import {
  callSchema,
  errorResponseSchema,
  socketPath,
  type ServerToClientEvents,
} from '@agora/proto';
import { callInput } from '@agora/spaces/testing';
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  emitAck,
  eventually,
  startChatStack,
  type ChatClient,
  type ChatStack,
  type Member,
} from './chat-fixture.js';

let stack: ChatStack;
let owner: Member;
let reviewer: Member;
let stranger: Member;
let spaceId: string;

beforeAll(async () => {
  stack = await startChatStack({ replicas: 2, spaces: true });
  owner = await stack.member('facilitator');
  [reviewer, stranger] = await Promise.all([stack.member(), stack.member()]);
  const created = await stack.api('/calls', {
    method: 'POST',
    token: owner.token,
    json: callInput(),
  });
  expect(created.status, await created.clone().text()).toBe(201);
  spaceId = callSchema.parse(await created.json()).id;
  const added = await stack.api(`/spaces/${spaceId}/members`, {
    method: 'POST',
    token: owner.token,
    json: { memberId: reviewer.id, role: 'reviewer' },
  });
  expect(added.status, await added.clone().text()).toBe(201);
});

afterAll(async () => {
  await stack?.stop();
});

async function status(res: Response): Promise<{ status: number; code?: string }> {
  const text = await res.text();
  if (res.status < 400) return { status: res.status };
  return { status: res.status, code: errorResponseSchema.parse(JSON.parse(text)).error.code };
}

type Presence = Parameters<ServerToClientEvents['presence.changed']>[0];

function presenceLog(socket: ChatClient): Presence[] {
  const log: Presence[] = [];
  socket.on('presence.changed', (p) => log.push(p));
  return log;
}

async function online(token: string, replica: number): Promise<string[]> {
  const res = await stack.api(`/presence?spaceId=${spaceId}`, { token, replica });
  expect(res.status).toBe(200);
  return ((await res.json()) as { memberIds: string[] }).memberIds;
}

describe("a space's channel", () => {
  it('has the space id and its members, owners moderating; others are kept out', async () => {
    await eventually(async () => {
      const res = await stack.api(`/channels/${spaceId}`, { token: reviewer.token });
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ id: spaceId, kind: 'space', moderator: false });
    });
    const mine = await stack.api(`/channels/${spaceId}`, { token: owner.token });
    expect(await mine.json()).toMatchObject({ moderator: true });
    expect(
      await status(await stack.api(`/channels/${spaceId}`, { token: stranger.token })),
    ).toEqual({
      status: 403,
      code: 'FORBIDDEN',
    });
    const leave = await stack.api(`/channels/${spaceId}/membership`, {
      method: 'DELETE',
      token: reviewer.token,
    });
    expect(await status(leave)).toEqual({ status: 409, code: 'INVALID_STATE' });
  });
});

describe('presence across replicas', () => {
  it('shows a member online on every replica within 2 s, and offline at once on a clean leave', async () => {
    const ownerSocket = await stack.connect(owner.token, 0);
    const seen = presenceLog(ownerSocket);
    await emitAck(ownerSocket, 'space.join', { spaceId });
    const reviewerSocket = await stack.connect(reviewer.token, 1);
    const joinedAt = Date.now();
    await emitAck(reviewerSocket, 'space.join', { spaceId });
    await eventually(() => {
      expect(seen).toContainEqual({ spaceId, memberId: reviewer.id, online: true });
    }, 2_000);
    expect(Date.now() - joinedAt).toBeLessThan(2_000);
    for (const replica of [0, 1])
      expect(await online(owner.token, replica)).toEqual([owner.id, reviewer.id].sort());
    expect(
      await status(await stack.api(`/presence?spaceId=${spaceId}`, { token: stranger.token })),
    ).toEqual({
      status: 403,
      code: 'FORBIDDEN',
    });

    // A second socket of the same member changes nothing; the last one leaving does.
    const second = await stack.connect(reviewer.token, 0);
    await emitAck(second, 'space.join', { spaceId });
    await emitAck(reviewerSocket, 'space.leave', { spaceId });
    await new Promise((r) => setTimeout(r, 300));
    expect(seen.filter((p) => p.memberId === reviewer.id && !p.online)).toEqual([]);
    const leftAt = Date.now();
    second.disconnect();
    await eventually(() => {
      expect(seen).toContainEqual({ spaceId, memberId: reviewer.id, online: false });
    }, 2_000);
    expect(Date.now() - leftAt).toBeLessThan(2_000);
    expect(await online(owner.token, 1)).toEqual([owner.id]);
    ownerSocket.disconnect();
    reviewerSocket.disconnect();
  });

  it('takes a member whose connection dropped silently offline within 30 s', async () => {
    const ownerSocket = await stack.connect(owner.token, 0);
    const seen = presenceLog(ownerSocket);
    await emitAck(ownerSocket, 'space.join', { spaceId });
    // The reviewer reaches replica 1 through a link we can cut without closing it.
    const link = await blackHoleLink(new URL(stack.gateways[1]?.base ?? '').port);
    const dropped: ChatClient = io(`http://127.0.0.1:${link.port}`, {
      path: socketPath,
      auth: { token: reviewer.token },
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
    });
    await new Promise((resolve, reject) => {
      dropped.once('ready', resolve);
      dropped.once('connect_error', reject);
    });
    await emitAck(dropped, 'space.join', { spaceId });
    await eventually(() => {
      expect(seen).toContainEqual({ spaceId, memberId: reviewer.id, online: true });
    });
    const cutAt = Date.now();
    link.cut();
    await eventually(() => {
      expect(seen).toContainEqual({ spaceId, memberId: reviewer.id, online: false });
    }, 30_000);
    expect(Date.now() - cutAt).toBeLessThan(30_000);
    expect(await online(owner.token, 0)).toEqual([owner.id]);
    dropped.disconnect();
    ownerSocket.disconnect();
    await link.close();
  }, 60_000);
});

describe('leaving the space', () => {
  it("takes the member out of the channel's room and its conversation", async () => {
    const socket = await stack.connect(reviewer.token, 1);
    await emitAck(socket, 'channel.join', { channelId: spaceId });
    const left = new Promise((resolve) => socket.once('channel.left', resolve));
    const removed = await stack.api(`/spaces/${spaceId}/members/${reviewer.id}`, {
      method: 'DELETE',
      token: owner.token,
    });
    expect(removed.status).toBe(204);
    expect(await left).toEqual({ channelId: spaceId });
    const post = await stack.api(`/channels/${spaceId}/messages`, {
      method: 'POST',
      token: reviewer.token,
      json: { body: 'still here?', clientMessageId: 'after-removal' },
    });
    expect(await status(post)).toEqual({ status: 403, code: 'FORBIDDEN' });
    await expect(emitAck(socket, 'channel.join', { channelId: spaceId })).rejects.toThrow(
      'FORBIDDEN',
    );
    socket.disconnect();
  });
});

/** A TCP relay to the gateway that `cut()` turns into a black hole: nothing passes, nothing closes. */
async function blackHoleLink(
  targetPort: string,
): Promise<{ port: number; cut(): void; close(): Promise<void> }> {
  const pairs: [TcpSocket, TcpSocket][] = [];
  const server: Server = createServer((client) => {
    const upstream = tcpConnect(Number(targetPort), '127.0.0.1');
    client.pipe(upstream);
    upstream.pipe(client);
    client.on('error', () => undefined);
    upstream.on('error', () => undefined);
    pairs.push([client, upstream]);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  return {
    port: address.port,
    cut() {
      for (const [client, upstream] of pairs) {
        client.unpipe(upstream);
        upstream.unpipe(client);
        client.pause();
        upstream.pause();
      }
    },
    async close() {
      for (const [client, upstream] of pairs) {
        client.destroy();
        upstream.destroy();
      }
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
