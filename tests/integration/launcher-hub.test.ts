import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startHub, type RunningHub } from '@agora/launcher';
import { afterAll, describe, expect, it } from 'vitest';

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

  it('serves the web, the API and its docs from one origin', async () => {
    hub = await startHub({ port: 0, dataDir, quiet: true });
    const html = await fetch(`${hub.url}/`);
    expect(html.status).toBe(200);
    expect(await html.text()).toMatch(/<html/i);
    const doc = (await (await fetch(`${hub.url}/api/openapi.json`)).json()) as {
      openapi: string;
      paths: object;
    };
    expect(doc.openapi).toMatch(/^3\.1/);
    expect(Object.keys(doc.paths)).toContain('/api/auth/register');
    const collab = await fetch(`${hub.url}/collab/doc-1`);
    expect(collab.status).toBe(503);
    const reg = await fetch(`${hub.url}/api/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(account),
    });
    expect(reg.status).toBe(201);
  });

  it('keeps the data across a stop and a start on the same data directory', async () => {
    await hub!.stop();
    hub = await startHub({ port: 0, dataDir, quiet: true });
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
});
