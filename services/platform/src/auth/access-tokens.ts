import { errors, jwtVerify, SignJWT } from 'jose';
import { roleSchema, type ErrorCode } from '@agora/proto';
import { z } from 'zod';
import { RpcFailure } from '../rpc/rpc-failure.js';

const ISSUER = 'agora';
const AUDIENCE = 'agora';
/** Access tokens live at most 15 minutes; refresh tokens (identity) carry the session. */
export const MAX_ACCESS_TTL_SECONDS = 15 * 60;

const claimsSchema = z.object({
  sub: z.string().min(1),
  role: roleSchema,
  exp: z.number().int(),
});
export type AccessClaims = z.infer<typeof claimsSchema>;

/** HS256 access JWTs: identity signs, the gateway verifies. */
export class AccessTokens {
  private readonly key: Uint8Array;
  private readonly ttlSeconds: number;

  constructor(secret: string, ttlSeconds = MAX_ACCESS_TTL_SECONDS) {
    if (secret.length < 32) throw new Error('AUTH_JWT_SECRET must have at least 32 characters');
    this.key = new TextEncoder().encode(secret);
    this.ttlSeconds = Math.min(Math.max(1, Math.floor(ttlSeconds)), MAX_ACCESS_TTL_SECONDS);
  }

  async sign(
    claims: { sub: string; role: AccessClaims['role'] },
    now = new Date(),
  ): Promise<{ token: string; expiresAt: Date }> {
    const iat = Math.floor(now.getTime() / 1000);
    const exp = iat + this.ttlSeconds;
    const token = await new SignJWT({ role: claims.role })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(claims.sub)
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt(iat)
      .setExpirationTime(exp)
      .sign(this.key);
    return { token, expiresAt: new Date(exp * 1000) };
  }

  /** Throws RpcFailure TOKEN_EXPIRED for an expired token, UNAUTHENTICATED for anything else wrong. */
  async verify(token: string): Promise<AccessClaims> {
    try {
      const { payload } = await jwtVerify(token, this.key, {
        algorithms: ['HS256'],
        issuer: ISSUER,
        audience: AUDIENCE,
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
