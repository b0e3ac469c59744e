import { lstatSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { startHub, type RunningHub } from '@agora/launcher';
import { afterAll, describe, expect, it } from 'vitest';
import { isLoopback, listeningSockets, processTree } from '../support/listening-sockets.js';

/** Mode (octal) of everything under `dir`, by path relative to it. */
function modes(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (path: string) => {
    const st = lstatSync(path);
    out[relative(dir, path) || '.'] =
      `${st.isDirectory() ? 'd' : '-'}${(st.mode & 0o777).toString(8)}`;
    if (st.isDirectory()) for (const name of readdirSync(path)) walk(join(path, name));
  };
  walk(dir);
  return out;
}

// The hub as `npm start` runs it (own nats-server, embedded store, identity, gateway, web, proxy),
// stopped and started again on the same data directory.
describe('launcher hub', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'agora-hub-'));
  let hub: RunningHub | null = null;
  afterAll(async () => {
    await hub?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const account = {
    email: 'keeper@example.org',
    password: 'a long enough passphrase 7',
    displayName: 'Data Keeper',
    country: 'GR',
    preferredLanguage: 'el',
  };

  let accessToken = '';

  it('serves the web, the API and its docs from one origin', async () => {
    // A loose umask, as a desktop session has: the hub must not let its files inherit it. (It sets
    // this process's umask to 0077 for good, so there is nothing to restore.)
    process.umask(0o002);
    hub = await startHub({ port: 0, dataDir, quiet: true });
    // Every service it started is ready (it waited for each /readyz before resolving).
    for (const s of hub.services.filter((x) =>
      ['identity', 'spaces', 'gateway-1'].includes(x.name),
    )) {
      expect((await fetch(`${s.url}/readyz`)).status, s.name).toBe(200);
    }
    // the bus and the store first, the back-end services (by name), the edge and the web last
    const names = hub.services.map((s) => s.name);
    expect(names.slice(0, 2)).toEqual(['nats', 'store']);
    // the gateway declares GATEWAY_REPLICAS: one replica by default, named gateway-1
    expect(names.slice(-2)).toEqual(['gateway-1', 'web']);
    expect(names).toEqual(expect.arrayContaining(['identity', 'spaces']));
    const html = await fetch(`${hub.url}/`);
    expect(html.status).toBe(200);
    expect(html.headers.get('x-content-type-options')).toBe('nosniff');
    expect(html.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
    expect(await html.text()).toMatch(/<html/i);
    const doc = (await (await fetch(`${hub.url}/api/openapi.json`)).json()) as {
      openapi: string;
      paths: object;
    };
    expect(doc.openapi).toMatch(/^3\.1/);
    expect(Object.keys(doc.paths)).toContain('/api/auth/register');
    const reg = await fetch(`${hub.url}/api/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(account),
    });
    expect(reg.status).toBe(201);
    accessToken = ((await reg.json()) as { accessToken: string }).accessToken;
    expect((await fetch(`${hub.url}/api/auth/register`, { method: 'POST' })).status).toBe(400);
  });

  it('keeps everything under the data directory owner-only (0700 directories, 0600 files)', () => {
    const found = modes(dataDir);
    // What nats-server (JetStream), the store and the launcher wrote is all there.
    expect(Object.keys(found)).toEqual(
      expect.arrayContaining(['secrets.json', 'hub.pid', 'nats', 'store']),
    );
    expect(Object.keys(found).some((p) => p.startsWith('nats/jetstream/'))).toBe(true);
    expect(Object.keys(found).some((p) => p.startsWith('store/'))).toBe(true);
    const loose = Object.entries(found).filter(([, m]) => m !== 'd700' && m !== '-600');
    expect(loose).toEqual([]);
  });

  it('listens on loopback only: every port of every hub process, the origin included', () => {
    const sockets = listeningSockets(processTree(process.pid));
    const ports = sockets.map((s) => s.port);
    // Found the hub's own sockets: the origin and one per child it listed.
    expect(ports).toContain(Number(new URL(hub!.url).port));
    for (const s of hub!.services) expect(ports, s.name).toContain(Number(new URL(s.url).port));
    const exposed = sockets.filter((s) => !isLoopback(s.address));
    expect(exposed).toEqual([]);
  });

  it('keeps the data across a stop and a start on the same data directory', async () => {
    const before = hub!;
    await before.stop();
    // Stopped means stopped: nothing answers on the old ports any more.
    await expect(fetch(`${before.url}/`)).rejects.toThrow();
    for (const s of before.services.filter((x) => x.url.startsWith('http')))
      await expect(fetch(`${s.url}/healthz`), s.name).rejects.toThrow();
    hub = await startHub({ port: 0, dataDir, quiet: true });
    // The generated signing key was kept too: a token from before the restart is still good.
    const me = await fetch(`${hub.url}/api/me`, {
      headers: { authorization: `Bearer ${accessToken}` },
    });
    expect(me.status).toBe(200);
    const login = await fetch(`${hub.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: account.email, password: account.password }),
    });
    expect(login.status).toBe(200);
    const body = (await login.json()) as { user: { displayName: string; role: string } };
    expect(body.user.displayName).toBe('Data Keeper');
    expect(body.user.role).toBe('admin'); // first account of a fresh install
  });

  it('restarts a store killed with SIGKILL; the services reconnect and nothing is lost', async () => {
    await hub!.stop();
    const lines: string[] = [];
    hub = await startHub({ port: 0, dataDir, write: (t) => lines.push(t) });
    const storePid = Number(readFileSync(join(dataDir, 'store', 'agora-store.lock'), 'utf8'));
    process.kill(storePid, 'SIGKILL');
    await expect
      .poll(() => lines.join(''), { timeout: 20_000 })
      .toMatch(
        /agora: store exited unexpectedly \(code null\); restarting in 1 s\n[^]*agora: store restarted and ready/,
      );
    // Identity answers from the restarted store: the account written before is there.
    await expect
      .poll(
        async () => {
          const res = await fetch(`${hub!.url}/api/auth/login`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'x-forwarded-for': '203.0.113.9' },
            body: JSON.stringify({ email: account.email, password: account.password }),
          });
          return res.status;
        },
        { timeout: 20_000, interval: 500 },
      )
      .toBe(200);
    expect(Number(readFileSync(join(dataDir, 'store', 'agora-store.lock'), 'utf8'))).not.toBe(
      storePid,
    );
  }, 60_000);
});
