import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  ensureNatsServer,
  findNatsServer,
  natsServerVersion,
  parseNatsServerVersion,
  supportsSyncInterval,
} from './nats-binary.js';

describe('nats-server discovery', () => {
  it('finds the binary on PATH first', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bin-'));
    writeFileSync(join(dir, 'nats-server'), '#!/bin/sh\n');
    chmodSync(join(dir, 'nats-server'), 0o755);
    expect(findNatsServer('/nonexistent', `/nonexistent:${dir}`)).toBe(join(dir, 'nats-server'));
  });

  it('falls back to Debian locations, then the unpacked package in the project cache', () => {
    const cache = mkdtempSync(join(tmpdir(), 'cache-'));
    mkdirSync(join(cache, 'nats/usr/sbin'), { recursive: true });
    writeFileSync(join(cache, 'nats/usr/sbin/nats-server'), '');
    const system = ['/usr/sbin/nats-server', '/usr/bin/nats-server'];
    const found = findNatsServer(cache, '/nonexistent');
    expect([...system, join(cache, 'nats/usr/sbin/nats-server')]).toContain(found);
    // The cache copy is only picked when no system binary exists.
    const hasSystem = system.some((p) => findNatsServer('/nonexistent', '') === p);
    if (!hasSystem) expect(found).toBe(join(cache, 'nats/usr/sbin/nats-server'));
  });

  it('answers null when there is none anywhere', () => {
    const found = findNatsServer(mkdtempSync(join(tmpdir(), 'empty-')), '/nonexistent');
    const system = findNatsServer('/nonexistent', '');
    expect(found).toBe(system);
  });
});

describe('nats-server version', () => {
  it('reads what nats-server --version prints, and null from anything else', () => {
    expect(parseNatsServerVersion('nats-server: v2.9.10\n')).toEqual([2, 9, 10]);
    expect(parseNatsServerVersion('nats-server: v2.10.0-beta.1\n')).toEqual([2, 10, 0]);
    expect(parseNatsServerVersion('command not found')).toBeNull();
  });

  it('knows sync_interval from 2.10 on', () => {
    expect(supportsSyncInterval([2, 9, 10])).toBe(false);
    expect(supportsSyncInterval([2, 10, 0])).toBe(true);
    expect(supportsSyncInterval([2, 11, 3])).toBe(true);
    expect(supportsSyncInterval([3, 0, 0])).toBe(true);
    expect(supportsSyncInterval([1, 99, 0])).toBe(false);
  });

  it('asks the real binary', () => {
    const bin = ensureNatsServer(join(import.meta.dirname, '../../../../.cache'), () => {});
    expect(natsServerVersion(bin)).toEqual([
      expect.any(Number),
      expect.any(Number),
      expect.any(Number),
    ]);
    expect(natsServerVersion('/bin/true')).toBeNull();
  });
});
