import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startHub } from './hub.js';
import { freePort, PortTakenError } from './ports.js';
import { accessPublicKeyOf } from './secrets.js';

// A stand-in repository whose services are tiny real HTTP servers (the real ones need builds, NATS
// and a store; tests/integration/launcher-hub.test.ts runs those). Each listens where it is told,
// answers its ready path and echoes the environment it was given, so the wiring startHub does is
// visible. Names are the real ones, but nothing in the launcher knows them: only the "agora" fields.
const fakeService = (readyPath: string, portVar = 'HEALTH_PORT', hostVar = 'LISTEN_HOST') => `
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
const port = Number(process.env.${portVar});
// Files a child creates with default modes, as nats-server and the store do under the data dir.
if (process.env.FAKE_WRITE_DIR) {
  mkdirSync(process.env.FAKE_WRITE_DIR + '/' + process.pid, { recursive: true });
  writeFileSync(process.env.FAKE_WRITE_DIR + '/' + process.pid + '/data', 'x');
}
createServer((req, res) => {
  if (req.url === '${readyPath}') return res.end('ok');
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify({ url: req.url, pid: process.pid, env: process.env }));
}).listen(port, process.env.${hostVar}, () => console.log('listening on ' + port));
process.on('SIGTERM', () => { console.log('bye'); process.exit(0); });
`;

function fakeRoot(identity = fakeService('/readyz'), collabBuilt = false): string {
  const root = mkdtempSync(join(tmpdir(), 'hub-root-'));
  const put = (path: string, body: unknown) => {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), typeof body === 'string' ? body : JSON.stringify(body));
  };
  put('package.json', { workspaces: ['services/*', 'web'] });
  const service = (name: string, agora: object | undefined, main?: string, deps = {}) => {
    put(`services/${name}/package.json`, { name: `@x/${name}`, dependencies: deps, agora });
    if (main) put(`services/${name}/dist/main.js`, main);
  };
  service('identity', { kind: 'service' }, identity, { mongoose: '9' });
  service('points', { kind: 'service' }, fakeService('/readyz'), { mongoose: '9' });
  // A library: it has a dist/main.js but no "agora" field, so it is not started.
  service('platform', undefined, 'process.exit(9);');
  // Declared but not built: not started, and the origin answers its route with 503.
  service(
    'collab',
    { kind: 'service', routes: ['/collab'], replicas: 'COLLAB_REPLICAS' },
    collabBuilt ? fakeService('/readyz') : undefined,
  );
  service('gateway', { kind: 'service', routes: ['/api', '/socket.io'] }, fakeService('/readyz'));
  put('web/package.json', { name: '@x/web', agora: { kind: 'web', routes: ['/'] } });
  put('web/build/index.js', fakeService('/', 'PORT', 'HOST'));
  put('web/build/package.json', '{"type":"module","main":"index.js"}');
  return root;
}

// NATS_URL and MONGO_URL set: the hub starts no nats-server and no store of its own.
const external = { NATS_URL: 'nats://127.0.0.1:1', MONGO_URL: 'mongodb://127.0.0.1:1' };

// An address of this machine that is not loopback: what another machine on the network would use.
const externalAddress = Object.values(networkInterfaces())
  .flat()
  .find((a) => a?.family === 'IPv4' && !a.internal)?.address;

describe('startHub', () => {
  it('wires the services, serves them on one origin, and stops them all', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'hub-data-'));
    const lines: string[] = [];
    // Secrets in the launcher's own environment reach no child that is not meant to have them.
    const own = { MONGO_URL: 'mongodb://u:launcher-own@db', AGORA_STORE_PASSWORD: 'launcher-own' };
    Object.assign(process.env, own);
    const hub = await startHub({
      port: 0,
      dataDir,
      root: fakeRoot(),
      env: external,
      write: (t) => lines.push(t),
    }).finally(() => {
      for (const key of Object.keys(own)) delete process.env[key];
    });
    try {
      expect(hub.services.map((s) => s.name)).toEqual(['identity', 'points', 'gateway', 'web']);
      const signingKey = (
        JSON.parse(readFileSync(join(dataDir, 'secrets.json'), 'utf8')) as {
          AUTH_SIGNING_KEY: string;
        }
      ).AUTH_SIGNING_KEY;
      const publicKey = accessPublicKeyOf(signingKey);

      type Echo = { url: string; env: Record<string, string> };
      const api = (await (await fetch(`${hub.url}/api/me?x=1`)).json()) as Echo;
      expect(api.url).toBe('/api/me?x=1');
      const gateway = hub.services.find((s) => s.name === 'gateway')!;
      expect(api.env).toMatchObject({
        NATS_URL: external.NATS_URL,
        AUTH_PUBLIC_KEY: publicKey,
        COOKIE_SECURE: 'false',
        TRUST_PROXY: 'true',
        LISTEN_HOST: '127.0.0.1',
        HEALTH_PORT: new URL(gateway.url).port,
        PORT: new URL(gateway.url).port,
      });
      // No database of its own (no mongoose dependency): it never sees the store's URL.
      expect(api.env.MONGO_URL).toBeUndefined();
      // It verifies access tokens; only identity can sign them.
      expect(api.env.AUTH_SIGNING_KEY).toBeUndefined();
      const page = (await (await fetch(`${hub.url}/profile`)).json()) as Echo;
      expect(page.env).toMatchObject({ HOST: '127.0.0.1', ORIGIN: hub.url });
      expect(JSON.stringify(page.env)).not.toContain('launcher-own');
      expect(JSON.stringify(api.env)).not.toContain('launcher-own');
      const identity = hub.services.find((s) => s.name === 'identity')!;
      const id = (await (await fetch(`${identity.url}/x`)).json()) as Echo;
      expect(id.env).toMatchObject({
        MONGO_URL: external.MONGO_URL,
        PUBLIC_URL: hub.url,
        AUTH_PUBLIC_KEY: publicKey,
        AUTH_SIGNING_KEY: signingKey,
        HEALTH_PORT: new URL(identity.url).port,
        LISTEN_HOST: '127.0.0.1',
      });
      // Not behind the proxy: no edge settings.
      expect(id.env.TRUST_PROXY).toBeUndefined();
      const collab = await fetch(`${hub.url}/collab/d`);
      expect(collab.status).toBe(503);
      expect(await collab.json()).toEqual({
        error: { code: 'UNAVAILABLE', message: 'the collab service is not part of this build' },
      });
      expect(lines.some((l) => /^\[gateway\] listening on \d+\n$/.test(l))).toBe(true);
    } finally {
      await hub.stop();
    }
    const bye = lines.filter((l) => l.endsWith('bye\n')).map((l) => l.split(' ')[0]);
    expect(bye).toEqual(['[web]', '[gateway]', '[points]', '[identity]']);
    await expect(fetch(`${hub.url}/`)).rejects.toThrow();
  });

  it('runs COLLAB_REPLICAS replicas, each its own port and REPLICA_ID, round robin behind the origin', async () => {
    const lines: string[] = [];
    const hub = await startHub({
      port: 0,
      dataDir: mkdtempSync(join(tmpdir(), 'hub-data-')),
      root: fakeRoot(undefined, true),
      env: { ...external, COLLAB_REPLICAS: '2' },
      write: (t) => lines.push(t),
    });
    try {
      expect(hub.services.map((s) => s.name)).toEqual([
        'identity',
        'points',
        'collab-1',
        'collab-2',
        'gateway',
        'web',
      ]);
      type Echo = { pid: number; env: Record<string, string> };
      const echo = async (path: string) =>
        (await (await fetch(`${hub.url}${path}`)).json()) as Echo;
      const [a, b, c] = [await echo('/collab/d'), await echo('/collab/d'), await echo('/collab/d')];
      expect([a.env.REPLICA_ID, b.env.REPLICA_ID, c.env.REPLICA_ID]).toEqual([
        'collab-1',
        'collab-2',
        'collab-1',
      ]);
      const ports = hub.services.filter((s) => s.name.startsWith('collab-'));
      expect([a.env.PORT, b.env.PORT]).toEqual(ports.map((s) => new URL(s.url).port));
      // Both connect to NATS as the one collab user; a service that is not replicated has no id.
      expect(a.env.NATS_URL).toBe(external.NATS_URL);
      expect((await echo('/api/x')).env.REPLICA_ID).toBeUndefined();
      expect(lines.some((l) => /^\[collab-2\] listening on \d+\n$/.test(l))).toBe(true);

      // kill -9 of one replica: every new request goes to the other at once, none fails…
      process.kill(b.pid, 'SIGKILL');
      await expect.poll(() => lines.some((l) => l.includes('collab-2 exited'))).toBe(true);
      const during = [];
      for (let i = 0; i < 4; i++) during.push((await echo('/collab/d')).env.REPLICA_ID);
      expect(during).toEqual(['collab-1', 'collab-1', 'collab-1', 'collab-1']);
      // …and once restarted (same port, same id) it takes its turn again.
      await expect
        .poll(() => lines.some((l) => l.includes('collab-2 restarted and ready')), {
          timeout: 10_000,
        })
        .toBe(true);
      const after = [(await echo('/collab/d')).env, (await echo('/collab/d')).env];
      expect(after.map((e) => e.REPLICA_ID).sort()).toEqual(['collab-1', 'collab-2']);
      expect(after.find((e) => e.REPLICA_ID === 'collab-2')?.PORT).toBe(b.env.PORT);
    } finally {
      await hub.stop();
    }
  });

  it('starts the units of one tier side by side, and the next tier once they are all ready', async () => {
    const marks = mkdtempSync(join(tmpdir(), 'hub-marks-'));
    // Identity is ready only once points (the same tier, started after it by name) has started:
    // started one after the other, identity would never be ready.
    const root = fakeRoot(`
      import { existsSync } from 'node:fs';
      import { createServer } from 'node:http';
      createServer((req, res) => {
        res.statusCode = existsSync(process.env.MARKS + '/points') ? 200 : 503;
        res.end();
      }).listen(Number(process.env.HEALTH_PORT), '127.0.0.1', () => console.log('listening'));
      process.on('SIGTERM', () => process.exit(0));
    `);
    const points = join(root, 'services/points/dist/main.js');
    writeFileSync(
      points,
      `import { writeFileSync as mark } from 'node:fs';\n` +
        `mark(process.env.MARKS + '/points', String(Date.now()));\n` +
        readFileSync(points, 'utf8'),
    );
    const lines: string[] = [];
    const hub = await startHub({
      port: 0,
      dataDir: mkdtempSync(join(tmpdir(), 'hub-data-')),
      root,
      env: { ...external, MARKS: marks },
      write: (t) => lines.push(t),
    });
    try {
      // Listed in plan order whichever was ready first; the gateway only after both.
      expect(hub.services.map((s) => s.name)).toEqual(['identity', 'points', 'gateway', 'web']);
      const first = (prefix: string) => lines.findIndex((l) => l.startsWith(prefix));
      expect(first('[gateway]')).toBeGreaterThan(first('[identity] listening'));
      expect(first('[gateway]')).toBeGreaterThan(first('[points]'));
    } finally {
      await hub.stop();
    }
  });

  it('refuses a bad replica count in one line before starting anything', async () => {
    const dataDir = join(mkdtempSync(join(tmpdir(), 'hub-data-')), 'data');
    await expect(
      startHub({
        port: 0,
        dataDir,
        root: fakeRoot(undefined, true),
        env: { ...external, COLLAB_REPLICAS: '0' },
        quiet: true,
      }),
    ).rejects.toThrow('COLLAB_REPLICAS=0 must be a whole number from 1 to 32');
    expect(existsSync(dataDir)).toBe(false);
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
    // Aborted while identity runs but is not ready.
    await expect.poll(() => lines.includes('[identity] up\n'), { timeout: 10_000 }).toBe(true);
    cancel.abort(new Error('start cancelled by SIGINT'));
    await expect(starting).rejects.toThrow('start cancelled by SIGINT');
    expect(lines).toContain('[identity] up\n');
    expect(lines).toContain('[identity] bye\n');
    expect(lines.some((l) => l.startsWith('[gateway]'))).toBe(false);
  });

  it('keeps the data directory owner-only under umask 0002, repairing what was there', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'hub-data-'));
    chmodSync(dataDir, 0o755);
    mkdirSync(join(dataDir, 'old'), { mode: 0o755 });
    writeFileSync(join(dataDir, 'old', 'journal'), 'x', { mode: 0o644 });
    const previous = process.umask(0o002);
    try {
      const hub = await startHub({
        port: 0,
        dataDir,
        root: fakeRoot(),
        env: { ...external, FAKE_WRITE_DIR: join(dataDir, 'children') },
        quiet: true,
      });
      await hub.stop();
    } finally {
      process.umask(previous);
    }
    const modes: Record<string, string> = {};
    const walk = (path: string, rel: string) => {
      const st = statSync(path);
      modes[rel] = (st.mode & 0o777).toString(8);
      if (st.isDirectory())
        for (const name of readdirSync(path)) walk(join(path, name), join(rel, name));
    };
    walk(dataDir, '.');
    // Each service wrote a file of its own (the web gets no extra environment), the launcher its
    // secrets; what was there before was repaired.
    const files = Object.keys(modes).filter((p) => /\/data$|journal$|secrets\.json$/.test(p));
    expect(files.filter((p) => p.endsWith('/data'))).toHaveLength(3);
    expect(files).toEqual(expect.arrayContaining(['secrets.json', 'old/journal']));
    for (const [path, mode] of Object.entries(modes))
      expect(mode, path).toBe(files.includes(path) ? '600' : '700');
  });

  it.skipIf(!externalAddress)(
    'listens on loopback only, unless the host option (HOST) exposes the origin',
    async () => {
      const reach = (url: string) =>
        fetch(url, { signal: AbortSignal.timeout(2000) }).then(
          (r) => r.status,
          () => 'refused',
        );
      const dataDir = mkdtempSync(join(tmpdir(), 'hub-data-'));
      const inside = await startHub({
        port: 0,
        dataDir,
        root: fakeRoot(),
        env: external,
        quiet: true,
      });
      try {
        const port = new URL(inside.url).port;
        expect(await reach(`http://127.0.0.1:${port}/`)).toBe(200);
        expect(await reach(`http://${externalAddress}:${port}/`)).toBe('refused');
      } finally {
        await inside.stop();
      }
      const exposed = await startHub({
        port: 0,
        host: '0.0.0.0',
        dataDir,
        root: fakeRoot(),
        env: external,
        quiet: true,
      });
      try {
        expect(await reach(`http://${externalAddress}:${new URL(exposed.url).port}/`)).toBe(200);
        // The services behind it stay on loopback.
        for (const s of exposed.services)
          expect(await reach(`http://${externalAddress}:${new URL(s.url).port}/`), s.name).toBe(
            'refused',
          );
      } finally {
        await exposed.stop();
      }
    },
    // Two hubs one after the other: past the 5 s default on a loaded 2-core machine.
    20_000,
  );

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
