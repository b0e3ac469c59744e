import { mkdtempSync, statSync, writeFileSync, chmodSync, mkdirSync } from 'node:fs';
import { createServer as createHttpServer, request } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { linePrefixer } from './log-prefix.js';
import { findNatsServer } from './nats-binary.js';
import { assertPortFree, freePort, PortTakenError } from './ports.js';
import { createOriginProxy, routeFor } from './proxy.js';
import { loadSecrets } from './secrets.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

describe('ports', () => {
  it('says in one line what to do when the port is taken', async () => {
    const port = await freePort();
    const holder = createServer().listen(port, '0.0.0.0');
    cleanups.push(() => new Promise((r) => holder.close(() => r())));
    await new Promise((r) => holder.once('listening', r));
    const err = await assertPortFree(port, 'the hub', 'choose another with PORT=<port>').catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(PortTakenError);
    expect((err as Error).message).toBe(
      `port ${port} (the hub) is already in use: stop what holds it or choose another with PORT=<port>`,
    );
  });
});

describe('secrets', () => {
  it('generates the JWT secret once, keeps it across runs, with mode 0600', () => {
    const dir = mkdtempSync(join(tmpdir(), 'secrets-'));
    const first = loadSecrets(dir, {});
    expect(first.AUTH_JWT_SECRET.length).toBeGreaterThanOrEqual(32);
    expect(statSync(join(dir, 'secrets.json')).mode & 0o777).toBe(0o600);
    expect(loadSecrets(dir, {})).toEqual(first);
    expect(loadSecrets(dir, { AUTH_JWT_SECRET: 'x'.repeat(40) }).AUTH_JWT_SECRET).toBe(
      'x'.repeat(40),
    );
  });

  it('refuses a damaged secrets file instead of silently replacing it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'secrets-'));
    writeFileSync(join(dir, 'secrets.json'), '{"AUTH_JWT_SECRET":"short"}');
    expect(() => loadSecrets(dir, {})).toThrow(/damaged/);
  });
});

describe('log prefixing', () => {
  it('prefixes whole lines and holds back a partial one until it ends', () => {
    const out: string[] = [];
    const p = linePrefixer('identity', 0, (l) => out.push(l), false);
    p.push('one\ntw');
    p.push('o\n');
    p.push('three');
    expect(out).toEqual(['[identity] one\n', '[identity] two\n']);
    p.flush();
    expect(out.at(-1)).toBe('[identity] three\n');
  });
});

describe('nats-server discovery', () => {
  it('finds the binary on PATH before the project cache', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bin-'));
    writeFileSync(join(dir, 'nats-server'), '#!/bin/sh\n');
    chmodSync(join(dir, 'nats-server'), 0o755);
    expect(findNatsServer('/nonexistent', dir)).toBe(join(dir, 'nats-server'));
  });

  it('falls back to the unpacked Debian package in the cache', () => {
    const cache = mkdtempSync(join(tmpdir(), 'cache-'));
    mkdirSync(join(cache, 'nats/usr/sbin'), { recursive: true });
    writeFileSync(join(cache, 'nats/usr/sbin/nats-server'), '');
    const found = findNatsServer(cache, '/nonexistent');
    expect(
      found === join(cache, 'nats/usr/sbin/nats-server') || found === '/usr/sbin/nats-server',
    ).toBe(true);
  });
});

describe('one-origin proxy', () => {
  it('routes /api and /socket.io to the gateway, /collab nowhere yet, the rest to the web', () => {
    const t = { gateway: 'http://g', web: 'http://w' };
    expect(routeFor('/api/me', t)).toBe('http://g');
    expect(routeFor('/socket.io/', t)).toBe('http://g');
    expect(routeFor('/apiary', t)).toBe('http://w');
    expect(routeFor('/collab/doc-1', t)).toBeNull();
    expect(routeFor('/collab/doc-1', { ...t, collab: 'http://c' })).toBe('http://c');
    expect(routeFor('/profile', t)).toBe('http://w');
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
    const proxy = createOriginProxy({ gateway: up, web: up });
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
      error: { code: 'UNAVAILABLE', message: 'the collab service is not part of this build yet' },
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
});
