import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSecrets } from './secrets.js';

describe('secrets', () => {
  it('generates the JWT secret once, keeps it across runs, with mode 0600', () => {
    const dir = mkdtempSync(join(tmpdir(), 'secrets-'));
    const first = loadSecrets(dir, {});
    expect(first.AUTH_JWT_SECRET.length).toBeGreaterThanOrEqual(32);
    expect(statSync(join(dir, 'secrets.json')).mode & 0o777).toBe(0o600);
    expect(loadSecrets(dir, {})).toEqual(first);
    expect(loadSecrets(mkdtempSync(join(tmpdir(), 'secrets-')), {})).not.toEqual(first);
  });

  it('prefers AUTH_JWT_SECRET from the environment and never writes it down', () => {
    const dir = mkdtempSync(join(tmpdir(), 'secrets-'));
    expect(loadSecrets(dir, { AUTH_JWT_SECRET: 'x'.repeat(40) }).AUTH_JWT_SECRET).toBe(
      'x'.repeat(40),
    );
    expect(readFileSync(join(dir, 'secrets.json'), 'utf8')).not.toContain('x'.repeat(40));
  });

  it('generates the store password once, and adds it to a file written before it existed', () => {
    const dir = mkdtempSync(join(tmpdir(), 'secrets-'));
    writeFileSync(join(dir, 'secrets.json'), JSON.stringify({ AUTH_JWT_SECRET: 'k'.repeat(48) }), {
      mode: 0o600,
    });
    const first = loadSecrets(dir, { STORE_PASSWORD: 'from-the-environment' });
    expect(first.STORE_PASSWORD).toMatch(/^[\w-]{40,}$/);
    expect(first.AUTH_JWT_SECRET).toBe('k'.repeat(48));
    expect(loadSecrets(dir, {})).toEqual(first);
    expect(statSync(join(dir, 'secrets.json')).mode & 0o777).toBe(0o600);
    writeFileSync(join(dir, 'secrets.json'), JSON.stringify({ ...first, STORE_PASSWORD: 'short' }));
    expect(() => loadSecrets(dir, {})).toThrow(/damaged \(no STORE_PASSWORD/);
  });

  it('tightens a readable secrets file back to 0600', () => {
    const dir = mkdtempSync(join(tmpdir(), 'secrets-'));
    writeFileSync(join(dir, 'secrets.json'), JSON.stringify({ AUTH_JWT_SECRET: 'k'.repeat(48) }), {
      mode: 0o644,
    });
    expect(loadSecrets(dir, {}).AUTH_JWT_SECRET).toBe('k'.repeat(48));
    expect(statSync(join(dir, 'secrets.json')).mode & 0o777).toBe(0o600);
  });

  it('refuses a damaged secrets file instead of silently replacing it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'secrets-'));
    writeFileSync(join(dir, 'secrets.json'), '{"AUTH_JWT_SECRET":"short"}');
    expect(() => loadSecrets(dir, {})).toThrow(/damaged/);
    writeFileSync(join(dir, 'secrets.json'), 'not json');
    expect(() => loadSecrets(dir, {})).toThrow(/damaged/);
  });
});
