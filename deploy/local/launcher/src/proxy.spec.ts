import { createServer as createHttpServer, request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { createOriginProxy, upstreamFor, type OriginRoute } from './proxy.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

// Routes as the hub builds them from the workspaces' "agora" fields: an edge with two prefixes,
// a declared service that is not built (target null), and the web on `/`.
const routes = (edge: string, web: string | null = edge): OriginRoute[] => [
  { prefix: '/api', service: 'edge', target: edge },
  { prefix: '/socket.io', service: 'edge', target: edge },
  { prefix: '/collab', service: 'collab', target: null },
  { prefix: '/', service: 'web', target: web },
];

describe('one-origin proxy', () => {
  it('sends a path to the longest declared prefix, whole segments only', () => {
    const t = routes('http://g', 'http://w');
    expect(upstreamFor('/api/me', t)).toEqual({ target: 'http://g' });
    expect(upstreamFor('/api', t)).toEqual({ target: 'http://g' });
    expect(upstreamFor('/socket.io/', t)).toEqual({ target: 'http://g' });
    expect(upstreamFor('/apiary', t)).toEqual({ target: 'http://w' });
    expect(upstreamFor('/profile', t)).toEqual({ target: 'http://w' });
    expect(upstreamFor('/', t)).toEqual({ target: 'http://w' });
    expect(upstreamFor('/collab/doc-1', t)).toEqual({
      unavailable: 'the collab service is not part of this build',
    });
    expect(
      upstreamFor('/collab/doc-1', [
        ...t,
        { prefix: '/collab/x', service: 'x', target: 'http://x' },
      ]),
    ).toEqual({
      unavailable: 'the collab service is not part of this build',
    });
    expect(
      upstreamFor('/collab/x/1', [...t, { prefix: '/collab/x', service: 'x', target: 'http://x' }]),
    ).toEqual({
      target: 'http://x',
    });
    // Without a web on `/`, a path nobody declared has no upstream either.
    expect(upstreamFor('/profile', t.slice(0, 3))).toEqual({
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
    expect(((await down.json()) as { error: { code: string } }).error.code).toBe('UNAVAILABLE');

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
});
