import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Server, type Socket } from 'socket.io';
import { socketPath } from '@agora/proto';
import { LiveConnection } from '../live.svelte.js';

// A real socket.io server that answers `channel.join` like the gateway: members of `allowed` join
// the room `channel:<id>` and get `{ ok: true }`, others FORBIDDEN.
const channelId = 'c'.repeat(24);
const forbidden = 'f'.repeat(24);
let http: HttpServer;
let io: Server;
let url: string;
let joins: string[] = [];
let live: LiveConnection | undefined;

beforeEach(async () => {
  joins = [];
  http = createServer();
  io = new Server(http, { path: socketPath });
  io.on('connection', (socket: Socket) => {
    socket.on(
      'channel.join',
      ({ channelId: id }: { channelId: string }, ack: (r: unknown) => void) => {
        joins.push(id);
        if (id === forbidden) {
          ack({ ok: false, error: { code: 'FORBIDDEN', message: 'not a member' } });
          return;
        }
        void socket.join(`channel:${id}`);
        ack({ ok: true, data: { channelId: id } });
      },
    );
    socket.on(
      'channel.leave',
      ({ channelId: id }: { channelId: string }, ack: (r: unknown) => void) => {
        void socket.leave(`channel:${id}`);
        ack({ ok: true, data: { channelId: id } });
      },
    );
    socket.on('typing', ({ channelId: id }: { channelId: string }) => {
      socket.to(`channel:${id}`).emit('typing', { channelId: id, memberId: 'x' });
      io.emit('typing-seen', { id });
    });
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
});

afterEach(async () => {
  live?.disconnect();
  live = undefined;
  await io.close();
});

const session = { accessToken: 't', refresh: () => Promise.resolve(true) };
const until = async (check: () => boolean, ms = 5000) => {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe('LiveConnection.followChannel', () => {
  it('joins the room with an ack, then hears its events; rejoins and says so after a reconnect', async () => {
    live = new LiveConnection(session, { url });
    const heard: [string, unknown][] = [];
    let joined = 0;
    live.connect();
    await until(() => live?.state === 'connected');
    const stop = live.followChannel(channelId, {
      event: (name, payload) => heard.push([name, payload]),
      joined: () => (joined += 1),
    });
    await until(() => joined === 1);
    io.to(`channel:${channelId}`).emit('read.changed', { channelId, memberId: 'm', readSeq: 3 });
    io.emit('space.updated', { spaceId: channelId, fields: [] });
    await until(() => heard.length === 1);
    expect(heard[0]).toEqual(['read.changed', { channelId, memberId: 'm', readSeq: 3 }]);

    // The server drops every socket: socket.io reconnects, the channel is joined again.
    io.disconnectSockets();
    await until(() => joined === 2, 10_000);
    expect(joins).toEqual([channelId, channelId]);

    stop();
    await until(() => io.sockets.adapter.rooms.get(`channel:${channelId}`) === undefined);
  });

  it('a second follower of a joined channel is told at once; the room is left with the last one', async () => {
    live = new LiveConnection(session, { url });
    live.connect();
    await until(() => live?.state === 'connected');
    let first = 0;
    let second = 0;
    const stopFirst = live.followChannel(channelId, {
      event: () => undefined,
      joined: () => (first += 1),
    });
    await until(() => first === 1);
    const stopSecond = live.followChannel(channelId, {
      event: () => undefined,
      joined: () => (second += 1),
    });
    await until(() => second === 1);
    expect(joins).toEqual([channelId]);
    stopFirst();
    await new Promise((r) => setTimeout(r, 100));
    expect(io.sockets.adapter.rooms.get(`channel:${channelId}`)?.size).toBe(1);
    stopSecond();
    await until(() => io.sockets.adapter.rooms.get(`channel:${channelId}`) === undefined);
  });

  it('a refused join is told to the follower, and typing goes only to joined rooms', async () => {
    live = new LiveConnection(session, { url });
    const refusals: string[] = [];
    live.followChannel(forbidden, {
      event: () => undefined,
      joined: () => undefined,
      refused: (code) => refusals.push(code),
    });
    live.connect();
    await until(() => refusals.length === 1);
    expect(refusals).toEqual(['FORBIDDEN']);
    let seen = 0;
    io.on('connection', () => undefined);
    const counter = (): void => void (seen += 1);
    io.sockets.sockets.forEach((s) => s.on('typing', counter));
    live.typing(forbidden);
    await new Promise((r) => setTimeout(r, 100));
    expect(seen).toBe(0);
  });
});
