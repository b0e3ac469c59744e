import argon2 from 'argon2';
import { AccessTokens, AccessTokenSigner } from '@agora/platform';
import { testAccessKeys } from '@agora/platform/testing';
import { describe, expect, it } from 'vitest';
import { CredentialsRepository } from './credentials.repository.js';

const keys = testAccessKeys();
const repo = new CredentialsRepository(new AccessTokenSigner(keys.signingKey));

describe('CredentialsRepository (real argon2id, real JWT)', () => {
  it('hashes with argon2id and verifies, NFKC-normalised', async () => {
    const hash = await repo.hashPassword('ﬁne olive trees'); // "ﬁ" ligature
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=19456,p=1,t=2\$/);
    expect(await repo.verifyPassword(hash, 'fine olive trees')).toBe(true);
    expect(await repo.verifyPassword(hash, 'fine olive tree')).toBe(false);
    expect(await repo.verifyPassword('', 'anything')).toBe(false);
    expect(repo.needsRehash(hash)).toBe(false);
  });

  it('flags hashes made with weaker parameters for an upgrade', async () => {
    const weak = await argon2.hash('x'.repeat(12), {
      type: argon2.argon2id,
      memoryCost: 4096,
      timeCost: 1,
    });
    expect(repo.needsRehash(weak)).toBe(true);
  });

  it('spends a real argon2 verification on unknown accounts', async () => {
    repo.onModuleInit();
    await repo.verifyDummy('warm-up: the dummy hash is made once');
    const hash = await repo.hashPassword('some password here');
    const t0 = performance.now();
    await expect(repo.verifyDummy('some password here')).resolves.toBe(false);
    const dummy = performance.now() - t0;
    const t1 = performance.now();
    await repo.verifyPassword(hash, 'wrong password here');
    const real = performance.now() - t1;
    // the same kind of work (a lower bound only, generous enough for a busy machine)
    expect(dummy).toBeGreaterThan(real / 4);
  });

  it('makes 256-bit URL-safe tokens and hex sha256 digests', () => {
    const a = repo.randomToken();
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(a, 'base64url')).toHaveLength(32);
    expect(repo.randomToken()).not.toBe(a);
    expect(repo.sha256('abc')).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
  });

  it('signs access tokens of at most 15 minutes that verify with the public key alone', async () => {
    const now = new Date();
    const { token, expiresAt } = await repo.signAccess('a'.repeat(24), 'facilitator', now);
    expect(expiresAt.getTime() - now.getTime()).toBeLessThanOrEqual(15 * 60_000);
    await expect(new AccessTokens(keys.publicKey).verify(token)).resolves.toMatchObject({
      sub: 'a'.repeat(24),
      role: 'facilitator',
    });
    await expect(new AccessTokens(testAccessKeys().publicKey).verify(token)).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
    });
  });
});
