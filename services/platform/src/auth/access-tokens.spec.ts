import { generateKeyPairSync } from 'node:crypto';
import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { RpcFailure } from '../rpc/rpc-failure.js';
import { testAccessKeys } from '../testing/access-keys.js';
import { accessSigningKey, isKeyPair } from './access-keys.js';
import { AccessTokenSigner } from './access-token-signer.js';
import { AccessTokens, MAX_ACCESS_TTL_SECONDS } from './access-tokens.js';

const keys = testAccessKeys();
const sub = 'a'.repeat(24);

async function codeOf(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
    return undefined;
  } catch (err) {
    return err instanceof RpcFailure ? err.code : `not an RpcFailure: ${String(err)}`;
  }
}

describe('access tokens: identity signs with the private key, everyone verifies with the public one', () => {
  const signer = new AccessTokenSigner(keys.signingKey);
  const tokens = new AccessTokens(keys.publicKey);

  it('signs an EdDSA token for at most 15 minutes that the public key verifies', async () => {
    const now = new Date();
    const { token, expiresAt } = await signer.sign({ sub, role: 'facilitator' }, now);
    const header = JSON.parse(Buffer.from(token.split('.')[0] ?? '', 'base64url').toString()) as {
      alg: string;
    };
    expect(header.alg).toBe('EdDSA');
    const claims = await tokens.verify(token);
    expect(claims).toMatchObject({ sub, role: 'facilitator' });
    expect(expiresAt.getTime() - now.getTime()).toBeLessThanOrEqual(MAX_ACCESS_TTL_SECONDS * 1000);
    expect(claims.exp * 1000).toBe(expiresAt.getTime());
  });

  it('caps a longer ttl at 15 minutes', async () => {
    const long = new AccessTokenSigner(keys.signingKey, 3600);
    const now = new Date();
    const { expiresAt } = await long.sign({ sub, role: 'member' }, now);
    expect(expiresAt.getTime() - Math.floor(now.getTime() / 1000) * 1000).toBe(
      MAX_ACCESS_TTL_SECONDS * 1000,
    );
  });

  it('says TOKEN_EXPIRED for an expired token', async () => {
    const { token } = await signer.sign(
      { sub, role: 'member' },
      new Date(Date.now() - 16 * 60_000),
    );
    expect(await codeOf(tokens.verify(token))).toBe('TOKEN_EXPIRED');
  });

  it('says UNAUTHENTICATED for a tampered token', async () => {
    const { token } = await signer.sign({ sub, role: 'member' });
    const [h, p, s] = token.split('.') as [string, string, string];
    const payload = JSON.parse(Buffer.from(p, 'base64url').toString()) as Record<string, unknown>;
    const forged = Buffer.from(JSON.stringify({ ...payload, role: 'admin' })).toString('base64url');
    expect(await codeOf(tokens.verify(`${h}.${forged}.${s}`))).toBe('UNAUTHENTICATED');
    expect(await codeOf(tokens.verify(`${h}.${p}.${s.slice(0, -2)}xx`))).toBe('UNAUTHENTICATED');
  });

  it('refuses a token signed with another key, garbage, and alg none', async () => {
    const other = new AccessTokenSigner(testAccessKeys().signingKey);
    const { token } = await other.sign({ sub, role: 'admin' });
    expect(await codeOf(tokens.verify(token))).toBe('UNAUTHENTICATED');
    expect(await codeOf(tokens.verify('garbage'))).toBe('UNAUTHENTICATED');
    const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
    const body = Buffer.from(
      JSON.stringify({ sub, role: 'admin', iss: 'agora', aud: 'agora', exp: 9_999_999_999 }),
    ).toString('base64url');
    expect(await codeOf(tokens.verify(`${header}.${body}.`))).toBe('UNAUTHENTICATED');
  });

  it('refuses HS256 made with the public key as the secret (whoever has the public key)', async () => {
    const forged = await new SignJWT({ role: 'admin' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(sub)
      .setIssuer('agora')
      .setAudience('agora')
      .setExpirationTime('5m')
      .sign(new TextEncoder().encode(keys.publicKey));
    expect(await codeOf(tokens.verify(forged))).toBe('UNAUTHENTICATED');
  });

  it('refuses a token with a wrong audience or an unknown role', async () => {
    const key = accessSigningKey(keys.signingKey);
    const wrongAud = await new SignJWT({ role: 'member' })
      .setProtectedHeader({ alg: 'EdDSA' })
      .setSubject(sub)
      .setIssuer('agora')
      .setAudience('elsewhere')
      .setExpirationTime('5m')
      .sign(key);
    expect(await codeOf(tokens.verify(wrongAud))).toBe('UNAUTHENTICATED');
    const badRole = await new SignJWT({ role: 'root' })
      .setProtectedHeader({ alg: 'EdDSA' })
      .setSubject(sub)
      .setIssuer('agora')
      .setAudience('agora')
      .setExpirationTime('5m')
      .sign(key);
    expect(await codeOf(tokens.verify(badRole))).toBe('UNAUTHENTICATED');
  });

  it('takes only Ed25519 keys of the right kind, and tells the halves of one pair', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const rsaPublic = rsa.publicKey.export({ type: 'spki', format: 'pem' }) as string;
    const rsaPrivate = rsa.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
    expect(() => new AccessTokens(rsaPublic)).toThrow('an Ed25519 public key (this one is rsa)');
    expect(() => new AccessTokenSigner(rsaPrivate)).toThrow(
      'an Ed25519 private key (this one is rsa)',
    );
    expect(() => new AccessTokens('not a key')).toThrow(/SPKI PEM/);
    // The halves cannot be swapped: the signing key is never taken for the public one.
    expect(() => new AccessTokenSigner(keys.publicKey)).toThrow(/PKCS8 PEM/);
    expect(() => new AccessTokens(keys.signingKey)).toThrow(
      'a public key, not the private signing key (that one stays with identity)',
    );
    expect(isKeyPair(keys.signingKey, keys.publicKey)).toBe(true);
    expect(isKeyPair(keys.signingKey, testAccessKeys().publicKey)).toBe(false);
  });
});
