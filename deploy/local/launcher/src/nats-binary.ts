import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/** Where a nats-server may already be: PATH, Debian's location, the project-local cache. */
export function findNatsServer(cacheDir: string, path = process.env.PATH ?? ''): string | null {
  const candidates = [
    ...path
      .split(delimiter)
      .filter(Boolean)
      .map((d) => join(d, 'nats-server')),
    '/usr/sbin/nats-server',
    '/usr/bin/nats-server',
    join(cacheDir, 'nats', 'usr', 'sbin', 'nats-server'),
    join(cacheDir, 'nats', 'usr', 'bin', 'nats-server'),
  ];
  return candidates.find((c) => existsSync(c)) ?? null;
}

/**
 * Finds or gets Debian's nats-server: installed with apt-get when root, otherwise downloaded with
 * `apt-get download` and unpacked into the git-ignored project cache.
 */
export function ensureNatsServer(cacheDir: string, log: (line: string) => void): string {
  const found = findNatsServer(cacheDir);
  if (found) return found;
  const isRoot = process.getuid?.() === 0;
  if (isRoot) {
    log('nats-server not found: installing Debian package nats-server (apt-get)…');
    spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
    const r = spawnSync('apt-get', ['install', '-y', '-qq', 'nats-server'], {
      stdio: 'inherit',
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
    if (r.status !== 0)
      throw new Error(
        'could not install nats-server with apt-get: install it (apt-get install nats-server) or set NATS_URL',
      );
  } else {
    log('nats-server not found: downloading Debian package nats-server into .cache/ …');
    const dir = join(cacheDir, 'nats');
    mkdirSync(dir, { recursive: true });
    try {
      execFileSync('apt-get', ['download', 'nats-server'], { cwd: dir, stdio: 'inherit' });
      const deb = readdirSync(dir).find((f) => f.endsWith('.deb'));
      if (!deb) throw new Error('no .deb downloaded');
      execFileSync('dpkg', ['-x', deb, '.'], { cwd: dir, stdio: 'inherit' });
    } catch (err) {
      throw new Error(
        `could not get nats-server (${(err as Error).message}): install Debian's nats-server or set NATS_URL`,
        { cause: err },
      );
    }
  }
  const now = findNatsServer(cacheDir);
  if (!now)
    throw new Error(
      'nats-server still not found after installing it: set NATS_URL to a running server',
    );
  return now;
}

/** `nats-server --version` as [major, minor, patch]; null when it prints nothing we can read. */
export function natsServerVersion(bin: string): [number, number, number] | null {
  const r = spawnSync(bin, ['--version'], { encoding: 'utf8', timeout: 10_000 });
  return parseNatsServerVersion(`${r.stdout ?? ''}${r.stderr ?? ''}`);
}

/** Reads `nats-server: v2.9.10` (what every release prints). */
export function parseNatsServerVersion(output: string): [number, number, number] | null {
  const m = /nats-server:? v(\d+)\.(\d+)\.(\d+)/.exec(output);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : null;
}

/** JetStream's `sync_interval` came in 2.10; 2.9 refuses the whole file (`unknown field`). */
export function supportsSyncInterval([major, minor]: readonly [number, number, number]): boolean {
  return major > 2 || (major === 2 && minor >= 10);
}
