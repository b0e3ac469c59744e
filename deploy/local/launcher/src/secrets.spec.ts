import { createPublicKey, generateKeyPairSync, sign, verify } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { accessPublicKeyOf, loadSecrets } from './secrets.js';

/** A PKCS8 PEM private key of the given type. */
function privateKeyPem(type: 'ed25519' | 'ed448'): string {
  return generateKeyPairSync(type as 'ed25519').privateKey.export({
    type: 'pkcs8',
    format: 'pem',
  }) as string;
}
const given = privateKeyPem('ed25519');

describe('secrets', () => {
  it('generates the Ed25519 signing key once, keeps it across runs, with mode 0600', () => {
    const dir = mkdtempSync(join(tmpdir(), 'secrets-'));
    const first = loadSecrets(dir, {});
    expect(first.AUTH_SIGNING_KEY).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    expect(createPublicKey(first.AUTH_SIGNING_KEY).asymmetricKeyType).toBe('ed25519');
    expect(statSync(join(dir, 'secrets.json')).mode & 0o777).toBe(0o600);
    expect(loadSecrets(dir, {})).toEqual(first);
    expect(loadSecrets(mkdtempSync(join(tmpdir(), 'secrets-')), {})).not.toEqual(first);
  });

  it('prefers AUTH_SIGNING_KEY from the environment and never writes it down', () => {
    const dir = mkdtempSync(join(tmpdir(), 'secrets-'));
    expect(loadSecrets(dir, { AUTH_SIGNING_KEY: given }).AUTH_SIGNING_KEY).toBe(given);
    expect(readFileSync(join(dir, 'secrets.json'), 'utf8')).not.toContain(
      given.split('\n')[1] ?? given,
    );
  });

  it('gives every process the public half, which verifies what the signing key signs', () => {
    const publicKey = accessPublicKeyOf(given);
    expect(publicKey).toMatch(/^-----BEGIN PUBLIC KEY-----\n/);
    expect(publicKey).not.toContain('PRIVATE');
    const data = Buffer.from('agora');
    expect(verify(null, data, publicKey, sign(null, data, given))).toBe(true);
    expect(() => accessPublicKeyOf(privateKeyPem('ed448'))).toThrow(
      'AUTH_SIGNING_KEY is not an Ed25519 key (it is ed448)',
    );
  });

  it('generates the store password once, and adds it to a file written before it existed', () => {
    const dir = mkdtempSync(join(tmpdir(), 'secrets-'));
    writeFileSync(join(dir, 'secrets.json'), JSON.stringify({ AUTH_SIGNING_KEY: given }), {
      mode: 0o600,
    });
    const first = loadSecrets(dir, { STORE_PASSWORD: 'from-the-environment' });
    expect(first.STORE_PASSWORD).toMatch(/^[\w-]{40,}$/);
    expect(first.AUTH_SIGNING_KEY).toBe(given);
    expect(loadSecrets(dir, {})).toEqual(first);
    expect(statSync(join(dir, 'secrets.json')).mode & 0o777).toBe(0o600);
    writeFileSync(join(dir, 'secrets.json'), JSON.stringify({ ...first, STORE_PASSWORD: 'short' }));
    expect(() => loadSecrets(dir, {})).toThrow(/damaged \(no STORE_PASSWORD/);
  });

  it('tightens a readable secrets file back to 0600', () => {
    const dir = mkdtempSync(join(tmpdir(), 'secrets-'));
    writeFileSync(join(dir, 'secrets.json'), JSON.stringify({ AUTH_SIGNING_KEY: given }), {
      mode: 0o644,
    });
    expect(loadSecrets(dir, {}).AUTH_SIGNING_KEY).toBe(given);
    expect(statSync(join(dir, 'secrets.json')).mode & 0o777).toBe(0o600);
  });

  it('refuses a damaged secrets file instead of silently replacing it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'secrets-'));
    writeFileSync(join(dir, 'secrets.json'), '{"AUTH_SIGNING_KEY":"not a key"}');
    expect(() => loadSecrets(dir, {})).toThrow(/damaged/);
    writeFileSync(join(dir, 'secrets.json'), 'not json');
    expect(() => loadSecrets(dir, {})).toThrow(/damaged/);
  });
});
