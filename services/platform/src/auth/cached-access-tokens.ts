import { createHash } from 'node:crypto';
import { RpcFailure } from '../rpc/rpc-failure.js';
import { AccessTokens, type AccessClaims } from './access-tokens.js';

export interface CachedAccessTokensOptions {
  /** Tokens remembered at once; the oldest is forgotten first. */
  maxEntries?: number;
  /** The clock expiry is checked against, ms since the epoch. */
  now?: () => number;
}

/**
 * `AccessTokens` that remembers the tokens it verified, until they expire: a member's token comes
 * with every request and socket event for up to 15 minutes, and its Ed25519 check cost more CPU
 * than the rest of a chat send. Keyed by the SHA-256 of the whole token (its signature included),
 * so only the exact bytes once verified are answered from memory; expiry is checked on every use,
 * and nothing that failed is remembered. The digest, not the token: an entry then costs ~50 bytes
 * of key, not the token's ~330 — and a token read from a URL is a slice of it, which would keep the
 * whole URL alive for as long as the entry lives.
 */
export class CachedAccessTokens extends AccessTokens {
  private readonly verified = new Map<string, AccessClaims>();
  private readonly maxEntries: number;
  private readonly now: () => number;

  constructor(publicKeyPem: string, options: CachedAccessTokensOptions = {}) {
    super(publicKeyPem);
    this.maxEntries = Math.max(1, options.maxEntries ?? 10_000);
    this.now = options.now ?? Date.now;
  }

  override async verify(token: string): Promise<AccessClaims> {
    const key = digestOf(token);
    const known = this.verified.get(key);
    if (known) {
      // As jose: expired once `exp` (seconds) is not after now.
      if (known.exp > Math.floor(this.now() / 1000)) return { ...known };
      this.verified.delete(key);
      throw new RpcFailure('TOKEN_EXPIRED', 'access token expired');
    }
    const claims = await super.verify(token);
    if (this.verified.size >= this.maxEntries) {
      const oldest = this.verified.keys().next();
      if (!oldest.done) this.verified.delete(oldest.value);
    }
    this.verified.set(key, { ...claims });
    return claims;
  }

  /** How many verified tokens are remembered (for tests and metrics). */
  get size(): number {
    return this.verified.size;
  }
}

function digestOf(token: string): string {
  return createHash('sha256').update(token).digest('base64');
}
