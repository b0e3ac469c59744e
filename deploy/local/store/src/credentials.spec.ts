import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CredentialsError, randomCredentials, readCredentials } from './credentials.js';

const good = { user: 'agora', password: 'a-long-enough-password' };

function authFile(content: string, mode: number): string {
  const path = join(mkdtempSync(join(tmpdir(), 'agora-store-auth-')), 'auth.json');
  writeFileSync(path, content);
  chmodSync(path, mode);
  return path;
}

describe('store credentials', () => {
  it('reads them from the environment', () => {
    const env = { AGORA_STORE_USER: good.user, AGORA_STORE_PASSWORD: good.password };
    expect(readCredentials({ env })).toEqual(good);
  });

  it('reads them from an owner-only JSON file, which wins over the environment', () => {
    const path = authFile(JSON.stringify(good), 0o600);
    const env = { AGORA_STORE_USER: 'other', AGORA_STORE_PASSWORD: 'other-password-here' };
    expect(readCredentials({ authFile: path, env })).toEqual(good);
  });

  it('refuses to start without credentials: there is no unauthenticated mode', () => {
    expect(() => readCredentials({ env: {} })).toThrow(/credentials are required/);
    expect(() => readCredentials({ env: { AGORA_STORE_USER: 'agora' } })).toThrow(/both/);
  });

  it('refuses an auth file others can read, one that is not JSON, and one that is missing', () => {
    expect(() =>
      readCredentials({ authFile: authFile(JSON.stringify(good), 0o640), env: {} }),
    ).toThrow(/readable by others \(mode 640\)/);
    expect(() => readCredentials({ authFile: authFile('user=agora', 0o600), env: {} })).toThrow(
      /not JSON/,
    );
    expect(() => readCredentials({ authFile: '/nonexistent/auth.json', env: {} })).toThrow(
      CredentialsError,
    );
  });

  it('refuses short, non-ASCII or empty passwords and odd user names', () => {
    for (const [user, password] of [
      ['agora', 'short'],
      ['agora', 'pässwörd-long-enough'],
      ['agora', ''],
      ['', good.password],
      ['with space', good.password],
    ]) {
      expect(
        () => readCredentials({ env: { AGORA_STORE_USER: user, AGORA_STORE_PASSWORD: password } }),
        `${user}/${password}`,
      ).toThrow(CredentialsError);
    }
  });

  it('makes random credentials that pass its own checks', () => {
    const made = randomCredentials();
    const env = { AGORA_STORE_USER: made.user, AGORA_STORE_PASSWORD: made.password };
    expect(readCredentials({ env })).toEqual(made);
    expect(randomCredentials().password).not.toBe(made.password);
  });
});
