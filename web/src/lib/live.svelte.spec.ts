import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Server, type Socket } from 'socket.io';
import { socketAuthErrors, socketPath } from '@agora/proto';
import { LiveConnection, type LiveSession } from './live.svelte.js';

// A real socket.io server with the gateway's handshake rule: `auth.token` must be the current
// token; an old one is refused with TOKEN_EXPIRED, anything else with UNAUTHENTICATED.
let http: HttpServer;
let io: Server;
let url: string;
let current = 'token-2';
let handshakes: string[] = [];
/** Handshakes still to refuse as rate limited (the gateway's per-IP budget). */
let limited = 0;
let live: LiveConnection | undefined;

beforeEach(async () => {
  current = 'token-2';
  handshakes = [];
  limited = 0;
  http = createServer();
  io = new Server(http, { path: socketPath });
  io.use((socket: Socket, next) => {
    const token = (socket.handshake.auth as { token?: string }).token ?? '';
    handshakes.push(token);
    if (limited > 0) {
      limited -= 1;
      const err = new Error('refused') as Error & { data: object };
      err.data = { code: socketAuthErrors.rateLimited, message: 'slow down', retryAfterSeconds: 1 };
      return next(err);
    }
    if (token === current) return next();
    const err = new Error('refused') as Error & { data: { code: string } };
    err.data = {
      code: token.startsWith('token-') ? socketAuthErrors.expired : socketAuthErrors.invalid,
    };
    next(err);
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
});

afterEach(async () => {
  live?.disconnect();
  live = undefined;
  await io.close();
});

function session(token: string, refreshTo: string | null) {
  let refreshes = 0;
  const s: LiveSession & { refreshes(): number } = {
    accessToken: token,
    refresh() {
      refreshes += 1;
      if (refreshTo === null) return Promise.resolve(false);
      (s as { accessToken: string }).accessToken = refreshTo;
      return Promise.resolve(true);
    },
    refreshes: () => refreshes,
  };
  return s;
}

const until = async (check: () => boolean, ms = 5000) => {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe('LiveConnection', () => {
  it('connects with the access token and reports connected', async () => {
    live = new LiveConnection(session('token-2', null), { url });
    live.connect();
    expect(live.state).toBe('connecting');
    await until(() => live?.state === 'connected');
    expect(handshakes).toEqual(['token-2']);
  });

  it('on TOKEN_EXPIRED refreshes once and reconnects with the new token', async () => {
    const s = session('token-1', 'token-2');
    live = new LiveConnection(s, { url });
    live.connect();
    await until(() => live?.state === 'connected');
    expect(s.refreshes()).toBe(1);
    expect(handshakes).toEqual(['token-1', 'token-2']);
  });

  it('stays offline when the refresh fails (signed out)', async () => {
    const s = session('token-1', null);
    live = new LiveConnection(s, { url });
    live.connect();
    await until(() => s.refreshes() === 1);
    await new Promise((r) => setTimeout(r, 300));
    expect(live.state).toBe('offline');
    expect(handshakes).toEqual(['token-1']);
  });

  it('a server push of session.expired renews and reconnects', async () => {
    const s = session('token-2', 'token-3');
    live = new LiveConnection(s, { url });
    live.connect();
    await until(() => live?.state === 'connected');
    current = 'token-3';
    for (const socket of await io.fetchSockets()) {
      socket.emit('session.expired', { reason: 'access token expired' });
      socket.disconnect(true);
    }
    await until(() => handshakes.length === 2 && live?.state === 'connected');
    expect(s.refreshes()).toBe(1);
    expect(handshakes).toEqual(['token-2', 'token-3']);
  });

  it('on RATE_LIMITED waits the time the server names, then reconnects', async () => {
    limited = 1;
    live = new LiveConnection(session('token-2', null), { url });
    live.connect();
    await until(() => handshakes.length === 1);
    const refusedAt = Date.now();
    await until(() => live?.state === 'connected', 5_000);
    expect(Date.now() - refusedAt).toBeGreaterThanOrEqual(900);
    expect(handshakes).toEqual(['token-2', 'token-2']);
  });

  it('passes me.updated pushes to the app', async () => {
    let updates = 0;
    live = new LiveConnection(session('token-2', null), { url, onMeUpdated: () => (updates += 1) });
    live.connect();
    await until(() => live?.state === 'connected');
    io.emit('me.updated', { fields: ['avatar'] });
    await until(() => updates === 1);
  });

  it('goes offline when the server goes away, and back when it returns', async () => {
    live = new LiveConnection(session('token-2', null), { url });
    live.connect();
    await until(() => live?.state === 'connected');
    const port = (http.address() as AddressInfo).port;
    await io.close();
    await until(() => live?.state !== 'connected');
    http = createServer();
    io = new Server(http, { path: socketPath });
    await new Promise<void>((resolve) => http.listen(port, '127.0.0.1', resolve));
    await until(() => live?.state === 'connected', 10_000);
  }, 15_000);

  it('follows a space: joins its room, rejoins after a reconnection, hears only its events, leaves', async () => {
    const space = 'a'.repeat(24);
    const other = 'b'.repeat(24);
    const joins: string[] = [];
    const leaves: string[] = [];
    io.on('connection', (socket) => {
      socket.on('space.join', (payload: { spaceId: string }, ack: (r: unknown) => void) => {
        joins.push(payload.spaceId);
        void socket.join(`space:${payload.spaceId}`);
        ack({ ok: true, data: { spaceId: payload.spaceId, role: 'lead' } });
      });
      socket.on('space.leave', (payload: { spaceId: string }, ack: (r: unknown) => void) => {
        leaves.push(payload.spaceId);
        void socket.leave(`space:${payload.spaceId}`);
        ack({ ok: true, data: { spaceId: payload.spaceId } });
      });
    });
    live = new LiveConnection(session('token-2', null), { url });
    const heard: string[] = [];
    // Followed before the socket connects: the join waits for the connection.
    const stop = live.followSpace(space, (event) => heard.push(event));
    live.connect();
    await until(() => joins.length === 1);
    expect(joins).toEqual([space]);

    io.to(`space:${space}`).emit('proposal.status', { spaceId: space, status: 'submitted' });
    io.emit('proposal.status', { spaceId: other, status: 'submitted' });
    io.emit('me.updated', { fields: ['bio'] });
    await until(() => heard.length === 1);

    // The server drops the connection (a restart): the space is joined again on the new one.
    for (const socket of await io.fetchSockets()) socket.disconnect(false);
    live.disconnect();
    live.connect();
    await until(() => joins.length === 2);
    io.to(`space:${space}`).emit('proposal.decided', { spaceId: space, outcome: 'funded' });
    await until(() => heard.length === 2);
    expect(heard).toEqual(['proposal.status', 'proposal.decided']);

    stop();
    await until(() => leaves.length === 1);
    io.emit('proposal.status', { spaceId: space, status: 'funded' });
    await new Promise((r) => setTimeout(r, 200));
    expect(heard).toHaveLength(2);
  });

  it('hands one event’s payload to its listeners, across reconnections, until they stop', async () => {
    live = new LiveConnection(session('token-2', null), { url });
    const heard: unknown[] = [];
    const stop = live.onEvent('me.updated', (payload) => heard.push(payload));
    live.connect();
    await until(() => live?.state === 'connected');
    io.emit('me.updated', { fields: ['bio'] });
    io.emit('space.left', { spaceId: 'a'.repeat(24) });
    await until(() => heard.length === 1);

    live.disconnect();
    live.connect();
    await until(() => live?.state === 'connected');
    io.emit('me.updated', { fields: ['displayName'] });
    await until(() => heard.length === 2);
    expect(heard).toEqual([{ fields: ['bio'] }, { fields: ['displayName'] }]);

    stop();
    io.emit('me.updated', { fields: ['country'] });
    await new Promise((r) => setTimeout(r, 200));
    expect(heard).toHaveLength(2);
  });

  it('measures the server clock against this one with a ping', async () => {
    io.on('connection', (socket) => {
      socket.on('ping', (payload: { sentAt: number }, ack: (r: unknown) => void) => {
        // A server clock one minute ahead.
        ack({ ok: true, data: { sentAt: payload.sentAt, serverTime: Date.now() + 60_000 } });
      });
    });
    live = new LiveConnection(session('token-2', null), { url });
    expect(await live.clockOffset()).toBeNull();
    live.connect();
    await until(() => live?.state === 'connected');
    const offset = await live.clockOffset();
    expect(offset).not.toBeNull();
    expect(Math.abs((offset ?? 0) - 60_000)).toBeLessThan(1000);
  });
});
