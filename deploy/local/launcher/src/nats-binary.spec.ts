import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findNatsServer } from './nats-binary.js';

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
