import type { KeyObject } from 'node:crypto';
import { errors, jwtVerify } from 'jose';
import { roleSchema, type ErrorCode } from '@agora/proto';
import { z } from 'zod';
import { RpcFailure } from '../rpc/rpc-failure.js';
import { accessPublicKey } from './access-keys.js';

export const ACCESS_TOKEN_ISSUER = 'agora';
export const ACCESS_TOKEN_AUDIENCE = 'agora';
/** The one algorithm: Ed25519 signatures (JOSE `EdDSA`). */
export const ACCESS_TOKEN_ALG = 'EdDSA';
/** Access tokens live at most 15 minutes; refresh tokens (identity) carry the session. */
export const MAX_ACCESS_TTL_SECONDS = 15 * 60;

const claimsSchema = z.object({
  sub: z.string().min(1),
  role: roleSchema,
  exp: z.number().int(),
  /** The sign-in (identity's session family) the token was issued for; absent on older tokens. */
  sid: z.string().min(1).max(64).optional(),
  /**
   * `false` only when the install requires a verified address (AUTH_REQUIRE_VERIFIED_EMAIL) and
   * the member has not proven theirs: the gateway then refuses what takes part (see its guard).
   */
  email_verified: z.literal(false).optional(),
});
export type AccessClaims = z.infer<typeof claimsSchema>;

/**
 * Verifies access tokens with the public key (`AUTH_PUBLIC_KEY`): every process can check a token,
 * none but identity (`AccessTokenSigner`) can make one.
 */
export class AccessTokens {
  private readonly key: KeyObject;

  constructor(publicKeyPem: string) {
    this.key = accessPublicKey(publicKeyPem);
  }

  /** Throws RpcFailure TOKEN_EXPIRED for an expired token, UNAUTHENTICATED for anything else wrong. */
  async verify(token: string): Promise<AccessClaims> {
    try {
      const { payload } = await jwtVerify(token, this.key, {
        algorithms: [ACCESS_TOKEN_ALG],
        issuer: ACCESS_TOKEN_ISSUER,
        audience: ACCESS_TOKEN_AUDIENCE,
      });
      const claims = claimsSchema.safeParse(payload);
      if (!claims.success) throw fail('UNAUTHENTICATED', 'access token has bad claims');
      return claims.data;
    } catch (err) {
      if (err instanceof RpcFailure) throw err;
      if (err instanceof errors.JWTExpired) throw fail('TOKEN_EXPIRED', 'access token expired');
      throw fail('UNAUTHENTICATED', 'access token invalid');
    }
  }
}

function fail(code: ErrorCode, message: string): RpcFailure {
  return new RpcFailure(code, message);
}
