import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startHub } from './hub.js';
import { freePort, PortTakenError } from './ports.js';

// A stand-in repository whose services are tiny real HTTP servers (the real ones need builds, NATS
// and a store; tests/integration/launcher-hub.test.ts runs those). Each answers its ready path and
// echoes the environment it was given, so the wiring startHub does is visible.
const fakeService = (readyPath: string, portVar = 'PORT') => `
import { createServer } from 'node:http';
const port = Number(process.env.${portVar});
createServer((req, res) => {
  if (req.url === '${readyPath}') return res.end('ok');
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify({ url: req.url, env: process.env }));
}).listen(port, '127.0.0.1', () => console.log('listening on ' + port));
process.on('SIGTERM', () => { console.log('bye'); process.exit(0); });
`;

function fakeRoot(identity = fakeService('/readyz', 'HEALTH_PORT')): string {
  const root = mkdtempSync(join(tmpdir(), 'hub-root-'));
  const put = (path: string, body: string) => {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), body);
  };
  put('services/identity/dist/main.js', identity);
  put('services/points/dist/main.js', fakeService('/readyz', 'HEALTH_PORT'));
  put('services/platform/dist/index.js', 'process.exit(9);'); // a library: no main.js, not started
  put('services/collab/dist/main.js', 'process.exit(9);'); // routed by COLLAB_URL, not started here
  put('services/gateway/dist/main.js', fakeService('/readyz'));
  put('web/build/index.js', fakeService('/'));
  put('web/build/package.json', '{"type":"module","main":"index.js"}');
  return root;
}

// NATS_URL and MONGO_URL set: the hub starts no nats-server and no store of its own.
const external = { NATS_URL: 'nats://127.0.0.1:1', MONGO_URL: 'mongodb://127.0.0.1:1' };

describe('startHub', () => {
  it('wires the services, serves them on one origin, and stops them all', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'hub-data-'));
    const lines: string[] = [];
    const hub = await startHub({
      port: 0,
      dataDir,
      root: fakeRoot(),
      env: external,
      write: (t) => lines.push(t),
    });
    try {
      expect(hub.services.map((s) => s.name)).toEqual(['identity', 'points', 'gateway', 'web']);
      const secret = (
        JSON.parse(readFileSync(join(dataDir, 'secrets.json'), 'utf8')) as {
          AUTH_JWT_SECRET: string;
        }
      ).AUTH_JWT_SECRET;

      type Echo = { url: string; env: Record<string, string> };
      const api = (await (await fetch(`${hub.url}/api/me?x=1`)).json()) as Echo;
      expect(api.url).toBe('/api/me?x=1');
      expect(api.env).toMatchObject({
        NATS_URL: external.NATS_URL,
        AUTH_JWT_SECRET: secret,
        COOKIE_SECURE: 'false',
        TRUST_PROXY: 'true',
      });
      const page = (await (await fetch(`${hub.url}/profile`)).json()) as Echo;
      expect(page.env).toMatchObject({ HOST: '127.0.0.1', ORIGIN: hub.url });
      const identity = hub.services.find((s) => s.name === 'identity')!;
      const id = (await (await fetch(`${identity.url}/x`)).json()) as Echo;
      expect(id.env).toMatchObject({
        MONGO_URL: external.MONGO_URL,
        PUBLIC_URL: hub.url,
        AUTH_JWT_SECRET: secret,
        HEALTH_PORT: new URL(identity.url).port,
      });
      expect((await fetch(`${hub.url}/collab/d`)).status).toBe(503);
      expect(lines.some((l) => /^\[gateway\] listening on \d+\n$/.test(l))).toBe(true);
    } finally {
      await hub.stop();
    }
    const bye = lines.filter((l) => l.endsWith('bye\n')).map((l) => l.split(' ')[0]);
    expect(bye).toEqual(['[web]', '[gateway]', '[points]', '[identity]']);
    await expect(fetch(`${hub.url}/`)).rejects.toThrow();
  });

  it('fails with the child’s reason when a service dies before it is ready, leaving nothing running', async () => {
    const lines: string[] = [];
    const root = fakeRoot(
      `console.error('config error: MONGO_URL: a mongodb:// URL'); process.exit(1);`,
    );
    const err = await startHub({
      port: 0,
      dataDir: mkdtempSync(join(tmpdir(), 'hub-data-')),
      root,
      env: external,
      write: (t) => lines.push(t),
    }).catch((e: unknown) => e as Error);
    expect((err as Error).message).toBe(
      'identity exited (code 1) before it was ready; its log lines above say why',
    );
    expect(lines).toContain('[identity] config error: MONGO_URL: a mongodb:// URL\n');
    expect(lines.some((l) => l.startsWith('[gateway]'))).toBe(false);
  });

  it('cancels a start when its signal aborts, stopping what already runs', async () => {
    const lines: string[] = [];
    // Identity never gets ready: /readyz answers 503 for ever.
    const root = fakeRoot(`
      import { createServer } from 'node:http';
      createServer((req, res) => { res.statusCode = 503; res.end(); })
        .listen(Number(process.env.HEALTH_PORT), '127.0.0.1', () => console.log('up'));
      process.on('SIGTERM', () => { console.log('bye'); process.exit(0); });
    `);
    const cancel = new AbortController();
    const starting = startHub({
      port: 0,
      dataDir: mkdtempSync(join(tmpdir(), 'hub-data-')),
      root,
      env: external,
      write: (t) => lines.push(t),
      signal: cancel.signal,
    });
    await new Promise((r) => setTimeout(r, 800));
    cancel.abort(new Error('start cancelled by SIGINT'));
    await expect(starting).rejects.toThrow('start cancelled by SIGINT');
    expect(lines).toContain('[identity] up\n');
    expect(lines).toContain('[identity] bye\n');
    expect(lines.some((l) => l.startsWith('[gateway]'))).toBe(false);
  });

  it('refuses a taken public port in one line before starting anything', async () => {
    const port = await freePort();
    const holder = createServer().listen(port, '127.0.0.1');
    await new Promise((r) => holder.once('listening', r));
    const dataDir = join(mkdtempSync(join(tmpdir(), 'hub-data-')), 'data');
    try {
      const err = await startHub({
        port,
        dataDir,
        root: fakeRoot(),
        env: external,
        quiet: true,
      }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(PortTakenError);
      expect((err as Error).message).toContain(`port ${port} (the hub) is already in use`);
      expect(existsSync(dataDir)).toBe(false);
    } finally {
      await new Promise((r) => holder.close(r));
    }
  });
});
