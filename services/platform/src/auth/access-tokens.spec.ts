import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { RpcFailure } from '../rpc/rpc-failure.js';
import { AccessTokens, MAX_ACCESS_TTL_SECONDS } from './access-tokens.js';

const secret = 'k'.repeat(40);
const sub = 'a'.repeat(24);

async function codeOf(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
    return undefined;
  } catch (err) {
    return err instanceof RpcFailure ? err.code : `not an RpcFailure: ${String(err)}`;
  }
}

describe('AccessTokens', () => {
  const tokens = new AccessTokens(secret);

  it('signs and verifies a token for at most 15 minutes', async () => {
    const now = new Date();
    const { token, expiresAt } = await tokens.sign({ sub, role: 'facilitator' }, now);
    const claims = await tokens.verify(token);
    expect(claims).toMatchObject({ sub, role: 'facilitator' });
    expect(expiresAt.getTime() - now.getTime()).toBeLessThanOrEqual(MAX_ACCESS_TTL_SECONDS * 1000);
    expect(claims.exp * 1000).toBe(expiresAt.getTime());
  });

  it('caps a longer ttl at 15 minutes', async () => {
    const long = new AccessTokens(secret, 3600);
    const now = new Date();
    const { expiresAt } = await long.sign({ sub, role: 'member' }, now);
    expect(expiresAt.getTime() - Math.floor(now.getTime() / 1000) * 1000).toBe(
      MAX_ACCESS_TTL_SECONDS * 1000,
    );
  });

  it('says TOKEN_EXPIRED for an expired token', async () => {
    const { token } = await tokens.sign(
      { sub, role: 'member' },
      new Date(Date.now() - 16 * 60_000),
    );
    expect(await codeOf(tokens.verify(token))).toBe('TOKEN_EXPIRED');
  });

  it('says UNAUTHENTICATED for a tampered token', async () => {
    const { token } = await tokens.sign({ sub, role: 'member' });
    const [h, p, s] = token.split('.') as [string, string, string];
    const payload = JSON.parse(Buffer.from(p, 'base64url').toString()) as Record<string, unknown>;
    const forged = Buffer.from(JSON.stringify({ ...payload, role: 'admin' })).toString('base64url');
    expect(await codeOf(tokens.verify(`${h}.${forged}.${s}`))).toBe('UNAUTHENTICATED');
    expect(await codeOf(tokens.verify(`${h}.${p}.${s.slice(0, -2)}xx`))).toBe('UNAUTHENTICATED');
  });

  it('refuses a token signed with another key, garbage, and alg none', async () => {
    const other = new AccessTokens('o'.repeat(40));
    const { token } = await other.sign({ sub, role: 'admin' });
    expect(await codeOf(tokens.verify(token))).toBe('UNAUTHENTICATED');
    expect(await codeOf(tokens.verify('garbage'))).toBe('UNAUTHENTICATED');
    const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
    const body = Buffer.from(
      JSON.stringify({ sub, role: 'admin', iss: 'agora', aud: 'agora', exp: 9_999_999_999 }),
    ).toString('base64url');
    expect(await codeOf(tokens.verify(`${header}.${body}.`))).toBe('UNAUTHENTICATED');
  });

  it('refuses a token with a wrong audience or an unknown role', async () => {
    const key = new TextEncoder().encode(secret);
    const wrongAud = await new SignJWT({ role: 'member' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(sub)
      .setIssuer('agora')
      .setAudience('elsewhere')
      .setExpirationTime('5m')
      .sign(key);
    expect(await codeOf(tokens.verify(wrongAud))).toBe('UNAUTHENTICATED');
    const badRole = await new SignJWT({ role: 'root' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(sub)
      .setIssuer('agora')
      .setAudience('agora')
      .setExpirationTime('5m')
      .sign(key);
    expect(await codeOf(tokens.verify(badRole))).toBe('UNAUTHENTICATED');
  });

  it('refuses a short secret', () => {
    expect(() => new AccessTokens('short')).toThrow(/32/);
  });
});
