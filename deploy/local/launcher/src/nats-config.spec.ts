import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { natsServerUser } from '@agora/proto';
import bcrypt from 'bcryptjs';
import { describe, expect, it } from 'vitest';
import {
  natsCredentialsFor,
  natsMonitorPort,
  renderNatsServerConfig,
  writeNatsServerConfig,
} from './nats-config.js';
import { ensureNatsServer, natsServerVersion, supportsSyncInterval } from './nats-binary.js';

const root = join(import.meta.dirname, '..', '..', '..', '..');

/** `nats-server -t`: parses the configuration and exits, saying what is wrong. */
function natsServerAccepts(file: string): { ok: boolean; output: string } {
  const bin = ensureNatsServer(join(root, '.cache'), () => {});
  const r = spawnSync(bin, ['-t', '-c', file], { encoding: 'utf8' });
  return { ok: r.status === 0, output: `${r.stdout}${r.stderr}` };
}

describe('nats-server configuration', () => {
  const dir = mkdtempSync(join(tmpdir(), 'agora-nats-config-'));
  const users = natsCredentialsFor(['identity', 'gateway']);
  const base = { port: 4999, storeDir: join(dir, 'nats'), pidFile: join(dir, 'nats.pid'), users };

  it('makes a different strong password per service at every start', () => {
    const again = natsCredentialsFor(['identity', 'gateway']);
    expect(users.map((u) => u.user)).toEqual(['identity', 'gateway']);
    for (const u of [...users, ...again]) expect(u.password).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(new Set([...users, ...again].map((u) => u.password)).size).toBe(4);
  });

  it('is accepted by nats-server: loopback, JetStream, one user per service, no anonymous access', () => {
    const file = join(dir, 'plain.conf');
    writeNatsServerConfig(file, base);
    expect(natsServerAccepts(file)).toEqual({ ok: true, output: expect.any(String) as string });
    const text = readFileSync(file, 'utf8');
    expect(text).toContain('listen: "127.0.0.1:4999"');
    expect(text).toContain(`jetstream: ${JSON.stringify({ store_dir: base.storeDir })}`);
    expect(text).not.toMatch(/no_auth_user|^http/m);
    const authorization = JSON.parse(text.slice(text.indexOf('authorization: ') + 15)) as {
      users: { user: string; password: string }[];
    };
    // Each entry as proto derives it, but with a bcrypt hash of the password, never the password.
    expect(authorization.users).toEqual(
      users.map((u) => ({
        ...natsServerUser(u.user, u.password),
        password: expect.any(String) as string,
      })),
    );
    for (const [i, entry] of authorization.users.entries()) {
      expect(entry.password).toMatch(/^\$2b\$11\$/);
      expect(bcrypt.compareSync(users[i]!.password, entry.password)).toBe(true);
      expect(text).not.toContain(users[i]!.password);
    }
  });

  it('opens monitoring on loopback only when asked for', () => {
    const text = renderNatsServerConfig({ ...base, monitorPort: 8222 });
    expect(text).toMatch(/^http: "127\.0\.0\.1:8222"$/m);
    const file = join(dir, 'monitor.conf');
    writeNatsServerConfig(file, { ...base, monitorPort: 8222 });
    expect(natsServerAccepts(file).ok).toBe(true);
    expect(natsMonitorPort(undefined)).toBeUndefined();
    expect(natsMonitorPort('')).toBeUndefined();
    expect(natsMonitorPort('8222')).toBe(8222);
    expect(() => natsMonitorPort('80a')).toThrow(
      'NATS_MONITOR_PORT=80a is not a valid port number',
    );
    expect(() => natsMonitorPort('70000')).toThrow(/not a valid port/);
  });

  it('asks for an fsync per JetStream write only when told, and this nats-server agrees', () => {
    const text = renderNatsServerConfig({ ...base, syncAlways: true });
    expect(text).toContain(
      `jetstream: ${JSON.stringify({ store_dir: base.storeDir, sync_interval: 'always' })}`,
    );
    const file = join(dir, 'sync.conf');
    writeNatsServerConfig(file, { ...base, syncAlways: true });
    // 2.9 refuses the field (unknown field): the hub only writes it where the version has it.
    const version = natsServerVersion(ensureNatsServer(join(root, '.cache'), () => {}))!;
    const accepted = natsServerAccepts(file);
    expect(accepted.ok, accepted.output).toBe(supportsSyncInterval(version));
  });

  it('writes the file readable by its owner only, also over an older readable one', () => {
    const file = join(dir, 'modes.conf');
    writeFileSync(file, 'old', { mode: 0o644 });
    writeNatsServerConfig(file, base);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8')).not.toBe('old');
  });
});
