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
 * than the rest of a chat send. Keyed by the whole token (its signature included), so only the
 * exact bytes once verified are answered from memory; expiry is checked on every use, and nothing
 * that failed is remembered.
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
    const known = this.verified.get(token);
    if (known) {
      // As jose: expired once `exp` (seconds) is not after now.
      if (known.exp > Math.floor(this.now() / 1000)) return { ...known };
      this.verified.delete(token);
      throw new RpcFailure('TOKEN_EXPIRED', 'access token expired');
    }
    const claims = await super.verify(token);
    if (this.verified.size >= this.maxEntries) {
      const oldest = this.verified.keys().next();
      if (!oldest.done) this.verified.delete(oldest.value);
    }
    this.verified.set(token, { ...claims });
    return claims;
  }

  /** How many verified tokens are remembered (for tests and metrics). */
  get size(): number {
    return this.verified.size;
  }
}
