import { describe, expect, it } from 'vitest';
import { RpcFailure } from '../rpc/rpc-failure.js';
import { testAccessKeys } from '../testing/access-keys.js';
import { AccessTokenSigner } from './access-token-signer.js';
import { CachedAccessTokens } from './cached-access-tokens.js';

const keys = testAccessKeys();
const signer = new AccessTokenSigner(keys.signingKey);
const sub = 'b'.repeat(24);

async function codeOf(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
    return undefined;
  } catch (err) {
    return err instanceof RpcFailure ? err.code : `not an RpcFailure: ${String(err)}`;
  }
}

describe('CachedAccessTokens: a verified token is remembered until it expires', () => {
  it('answers the same claims for the same token, from memory the second time', async () => {
    const tokens = new CachedAccessTokens(keys.publicKey);
    const { token } = await signer.sign({ sub, role: 'member' });
    const first = await tokens.verify(token);
    expect(tokens.size).toBe(1);
    const second = await tokens.verify(token);
    expect(second).toEqual(first);
    expect(second).toMatchObject({ sub, role: 'member' });
    // A caller changing its copy changes nothing remembered.
    second.sub = 'c'.repeat(24);
    expect((await tokens.verify(token)).sub).toBe(sub);
  });

  it('refuses a remembered token once it expires (TOKEN_EXPIRED), and forgets it', async () => {
    let now = Date.now();
    const tokens = new CachedAccessTokens(keys.publicKey, { now: () => now });
    const { token, expiresAt } = await signer.sign({ sub, role: 'member' });
    await tokens.verify(token);
    now = expiresAt.getTime();
    expect(await codeOf(tokens.verify(token))).toBe('TOKEN_EXPIRED');
    expect(tokens.size).toBe(0);
  });

  it('never answers a token with another signature, nor remembers what failed', async () => {
    const tokens = new CachedAccessTokens(keys.publicKey);
    const { token } = await signer.sign({ sub, role: 'member' });
    await tokens.verify(token);
    const [header, payload, signature = ''] = token.split('.');
    const flipped = signature.startsWith('A') ? `B${signature.slice(1)}` : `A${signature.slice(1)}`;
    expect(await codeOf(tokens.verify(`${header}.${payload}.${flipped}`))).toBe('UNAUTHENTICATED');
    expect(await codeOf(tokens.verify('not.a.token'))).toBe('UNAUTHENTICATED');
    expect(tokens.size).toBe(1);
  });

  it('keeps at most maxEntries tokens, forgetting the oldest', async () => {
    const tokens = new CachedAccessTokens(keys.publicKey, { maxEntries: 2 });
    const signed = await Promise.all(
      ['1', '2', '3'].map((d) => signer.sign({ sub: d.repeat(24), role: 'member' })),
    );
    for (const s of signed) await tokens.verify(s.token);
    expect(tokens.size).toBe(2);
    // The forgotten one still verifies (by its signature again).
    expect((await tokens.verify(signed[0]!.token)).sub).toBe('1'.repeat(24));
  });
});
