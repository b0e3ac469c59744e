import { createServer as createHttpServer, request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { createOriginProxy, RoundRobin, upstreamFor, type OriginRoute } from './proxy.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

// Routes as the hub builds them from the workspaces' "agora" fields: an edge with two prefixes,
// a declared service that is not built (target null), and the web on `/`.
const routes = (edge: string, web: string | null = edge): OriginRoute[] => [
  { prefix: '/api', service: 'edge', targets: [edge] },
  { prefix: '/socket.io', service: 'edge', targets: [edge] },
  { prefix: '/collab', service: 'collab', targets: [] },
  { prefix: '/', service: 'web', targets: web === null ? [] : [web] },
];

/** The upstream `upstreamFor` picks for a path (routes with one target), or why there is none. */
const targetOf = (path: string, t: OriginRoute[]) => {
  const up = upstreamFor(path, t);
  return 'route' in up ? { target: up.route.targets[0] } : up;
};

describe('one-origin proxy', () => {
  it('sends a path to the longest declared prefix, whole segments only', () => {
    const t = routes('http://g', 'http://w');
    expect(targetOf('/api/me', t)).toEqual({ target: 'http://g' });
    expect(targetOf('/api', t)).toEqual({ target: 'http://g' });
    expect(targetOf('/socket.io/', t)).toEqual({ target: 'http://g' });
    expect(targetOf('/apiary', t)).toEqual({ target: 'http://w' });
    expect(targetOf('/profile', t)).toEqual({ target: 'http://w' });
    expect(targetOf('/', t)).toEqual({ target: 'http://w' });
    expect(targetOf('/collab/doc-1', t)).toEqual({
      unavailable: 'the collab service is not part of this build',
    });
    expect(
      targetOf('/collab/doc-1', [
        ...t,
        { prefix: '/collab/x', service: 'x', targets: ['http://x'] },
      ]),
    ).toEqual({
      unavailable: 'the collab service is not part of this build',
    });
    expect(
      targetOf('/collab/x/1', [...t, { prefix: '/collab/x', service: 'x', targets: ['http://x'] }]),
    ).toEqual({
      target: 'http://x',
    });
    // Without a web on `/`, a path nobody declared has no upstream either.
    expect(targetOf('/profile', t.slice(0, 3))).toEqual({
      unavailable: 'no service of this build serves /profile',
    });
  });

  it('proxies requests and websocket upgrades, and answers /collab with the JSON error shape', async () => {
    const upstream = createHttpServer((req, res) => res.end(`upstream ${req.url}`));
    upstream.on('upgrade', (_req, socket) => {
      socket.end(
        'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n',
      );
    });
    await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', () => r()));
    const up = `http://127.0.0.1:${(upstream.address() as { port: number }).port}`;
    const proxy = createOriginProxy(routes(up));
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', () => r()));
    const base = `http://127.0.0.1:${(proxy.address() as { port: number }).port}`;
    cleanups.push(
      () =>
        new Promise((r) => {
          proxy.closeAllConnections();
          proxy.close(() => r());
        }),
    );
    cleanups.push(
      () =>
        new Promise((r) => {
          upstream.closeAllConnections();
          upstream.close(() => r());
        }),
    );

    expect(await (await fetch(`${base}/api/x`)).text()).toBe('upstream /api/x');
    const collab = await fetch(`${base}/collab/doc`);
    expect(collab.status).toBe(503);
    expect(await collab.json()).toEqual({
      error: { code: 'UNAVAILABLE', message: 'the collab service is not part of this build' },
    });

    const status = await new Promise<number>((resolve, reject) => {
      const req = request(`${base}/socket.io/?EIO=4&transport=websocket`, {
        headers: {
          Connection: 'Upgrade',
          Upgrade: 'websocket',
          'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==',
          'Sec-WebSocket-Version': '13',
        },
      });
      req.on('upgrade', (res, socket) => {
        socket.destroy();
        resolve(res.statusCode ?? 0);
      });
      req.on('response', (res) => resolve(res.statusCode ?? 0));
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(101);
  });

  it('refuses a /collab websocket with 503, keeps query strings, and answers 502 when an upstream is down', async () => {
    const upstream = createHttpServer((req, res) =>
      res.end(`${req.url} xff=${String(req.headers['x-forwarded-for'] ?? '')}`),
    );
    await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', () => r()));
    const up = `http://127.0.0.1:${(upstream.address() as { port: number }).port}`;
    const proxy = createOriginProxy(routes('http://127.0.0.1:1', up));
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', () => r()));
    const base = `http://127.0.0.1:${(proxy.address() as { port: number }).port}`;
    cleanups.push(
      () =>
        new Promise((r) => {
          proxy.closeAllConnections();
          proxy.close(() => r());
        }),
      () =>
        new Promise((r) => {
          upstream.closeAllConnections();
          upstream.close(() => r());
        }),
    );

    expect(await (await fetch(`${base}/login?next=%2Fprofile`)).text()).toBe(
      '/login?next=%2Fprofile xff=127.0.0.1',
    );
    const down = await fetch(`${base}/api/me`);
    expect(down.status).toBe(502);
    const downBody = await down.text();
    expect((JSON.parse(downBody) as { error: { code: string } }).error.code).toBe('UNAVAILABLE');
    // Nothing internal in what the browser reads: no address, no port, no errno.
    expect(downBody).not.toMatch(/127\.0\.0\.1|ECONNREFUSED|:\d{2,5}/);

    const head = await new Promise<string>((resolve, reject) => {
      const req = request(`${base}/collab/doc-1`, {
        headers: { Connection: 'Upgrade', Upgrade: 'websocket' },
      });
      req.on('upgrade', () => resolve('upgraded'));
      req.on('response', (res) => resolve(String(res.statusCode)));
      req.on('error', reject);
      req.end();
    });
    expect(head).toBe('503');
  });

  it('takes replicas in turn, skipping one that is not live or refused a connection moments ago', () => {
    const route: OriginRoute = { prefix: '/collab', service: 'collab', targets: ['a', 'b', 'c'] };
    const live = new Set(['a', 'b', 'c']);
    let now = 0;
    const rr = new RoundRobin({ isLive: (t) => live.has(t), refusedForMs: 1000, now: () => now });
    expect([1, 2, 3, 4].map(() => rr.pick(route))).toEqual(['a', 'b', 'c', 'a']);
    live.delete('c');
    expect([1, 2, 3].map(() => rr.pick(route))).toEqual(['b', 'a', 'b']);
    rr.refused('a');
    expect([1, 2].map(() => rr.pick(route))).toEqual(['b', 'b']);
    now = 1000;
    live.add('c');
    expect([1, 2, 3].map(() => rr.pick(route))).toEqual(['c', 'a', 'b']);
    // None left: the next in turn anyway, so the answer is that replica's error, not a guess.
    live.clear();
    expect([1, 2].map(() => rr.pick(route))).toEqual(['c', 'a']);
  });

  it("sends each new request and upgrade round robin, and a killed replica's clients reach another at once", async () => {
    const replica = async (id: string) => {
      const server = createHttpServer((req, res) => res.end(`${id} ${req.url}`));
      server.on('upgrade', (_req, socket) => {
        socket.end(
          `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nX-Replica: ${id}\r\n\r\n`,
        );
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
      cleanups.push(
        () =>
          new Promise((r) => {
            server.closeAllConnections();
            server.close(() => r());
          }),
      );
      return { server, url: `http://127.0.0.1:${(server.address() as { port: number }).port}` };
    };
    const one = await replica('collab-1');
    const two = await replica('collab-2');
    // A replica whose port nobody listens on: what a killed one is before the supervisor notices.
    const dead = 'http://127.0.0.1:1';
    const live = new Set([one.url, two.url, dead]);
    const proxy = createOriginProxy(
      [{ prefix: '/collab', service: 'collab', targets: [one.url, two.url, dead] }],
      { isLive: (t) => live.has(t) },
    );
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', () => r()));
    const base = `http://127.0.0.1:${(proxy.address() as { port: number }).port}`;
    cleanups.push(
      () =>
        new Promise((r) => {
          proxy.closeAllConnections();
          proxy.close(() => r());
        }),
    );
    const upgrade = (path: string) =>
      new Promise<string>((resolve, reject) => {
        const req = request(`${base}${path}`, {
          headers: {
            Connection: 'Upgrade',
            Upgrade: 'websocket',
            'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==',
            'Sec-WebSocket-Version': '13',
          },
        });
        req.on('upgrade', (res, socket) => {
          socket.destroy();
          resolve(String(res.headers['x-replica']));
        });
        req.on('response', (res) => resolve(`HTTP ${res.statusCode}`));
        req.on('error', (err: NodeJS.ErrnoException) =>
          err.code === 'ECONNRESET' || err.message === 'socket hang up'
            ? resolve('closed')
            : reject(err),
        );
        req.end();
      });
    const get = async (path: string) => (await fetch(`${base}${path}`)).text();

    // The same document three times: not by document, each new connection to the next replica.
    expect([await upgrade('/collab/d'), await upgrade('/collab/d')]).toEqual([
      'collab-1',
      'collab-2',
    ]);
    // The dead one's turn: its connection is refused and closed (a stock client reconnects)…
    expect(await upgrade('/collab/d')).toBe('closed');
    // …and it is skipped from then on, before anyone tells the proxy it is down.
    expect([await get('/collab/a'), await get('/collab/b'), await upgrade('/collab/d')]).toEqual([
      'collab-1 /collab/a',
      'collab-2 /collab/b',
      'collab-1',
    ]);
    // A replica the supervisor knows is down is skipped at once: its clients land on the other.
    live.delete(two.url);
    two.server.closeAllConnections();
    expect([await upgrade('/collab/d'), await upgrade('/collab/d')]).toEqual([
      'collab-1',
      'collab-1',
    ]);
    live.add(two.url);
    const back = [await get('/collab/x'), await get('/collab/y')].map((t) => t.split(' ')[0]);
    expect(back.sort()).toEqual(['collab-1', 'collab-2']);
  });
});

describe('one-origin proxy and vanishing clients', () => {
  it('outlives a browser that resets its socket during and after an upgrade', async () => {
    const { connect } = await import('node:net');
    // An upstream that completes the upgrade and then holds the connection open.
    const upstream = createHttpServer();
    const held = new Set<{ destroy(): void }>();
    upstream.on('upgrade', (_req, socket) => {
      held.add(socket);
      socket.on('error', () => socket.destroy());
      socket.write(
        'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n',
      );
    });
    await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', () => r()));
    const target = `http://127.0.0.1:${(upstream.address() as { port: number }).port}`;
    const proxy = createOriginProxy([{ prefix: '/collab', service: 'collab', targets: [target] }]);
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', () => r()));
    const port = (proxy.address() as { port: number }).port;
    cleanups.push(
      () =>
        new Promise((r) => {
          // Upgraded sockets are no longer the servers' connections: closed by hand.
          for (const socket of held) socket.destroy();
          proxy.closeAllConnections();
          proxy.close(() => upstream.close(() => r()));
        }),
    );
    const handshake =
      'GET /collab/d HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n' +
      'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n';
    const resetAfter = (waitFor101: boolean) =>
      new Promise<void>((resolve) => {
        const client = connect(port, '127.0.0.1', () => {
          client.write(handshake);
          if (!waitFor101) client.resetAndDestroy();
        });
        client.on('data', () => client.resetAndDestroy());
        client.on('error', () => undefined);
        client.on('close', () => resolve());
      });
    await resetAfter(true);
    await resetAfter(false);
    // Still serving: a vitest run fails on any unhandled 'error' the resets raised in between.
    await new Promise((r) => setTimeout(r, 200));
    expect(proxy.listening).toBe(true);
  });
});
