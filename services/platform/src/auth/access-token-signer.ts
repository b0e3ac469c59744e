import type { KeyObject } from 'node:crypto';
import { SignJWT } from 'jose';
import type { Role } from '@agora/proto';
import { accessSigningKey } from './access-keys.js';
import {
  ACCESS_TOKEN_ALG,
  ACCESS_TOKEN_AUDIENCE,
  ACCESS_TOKEN_ISSUER,
  MAX_ACCESS_TTL_SECONDS,
} from './access-tokens.js';

/** Signs access tokens with the private key (`AUTH_SIGNING_KEY`), which identity alone is given. */
export class AccessTokenSigner {
  private readonly key: KeyObject;
  private readonly ttlSeconds: number;

  constructor(signingKeyPem: string, ttlSeconds = MAX_ACCESS_TTL_SECONDS) {
    this.key = accessSigningKey(signingKeyPem);
    this.ttlSeconds = Math.min(Math.max(1, Math.floor(ttlSeconds)), MAX_ACCESS_TTL_SECONDS);
  }

  async sign(
    claims: { sub: string; role: Role; sid?: string; emailVerified?: false },
    now = new Date(),
  ): Promise<{ token: string; expiresAt: Date }> {
    const iat = Math.floor(now.getTime() / 1000);
    const exp = iat + this.ttlSeconds;
    const token = await new SignJWT({
      role: claims.role,
      ...(claims.sid === undefined ? {} : { sid: claims.sid }),
      ...(claims.emailVerified === false ? { email_verified: false } : {}),
    })
      .setProtectedHeader({ alg: ACCESS_TOKEN_ALG, typ: 'JWT' })
      .setSubject(claims.sub)
      .setIssuer(ACCESS_TOKEN_ISSUER)
      .setAudience(ACCESS_TOKEN_AUDIENCE)
      .setIssuedAt(iat)
      .setExpirationTime(exp)
      .sign(this.key);
    return { token, expiresAt: new Date(exp * 1000) };
  }
}
