import { authResponseSchema, type AuthResponse, type Session } from '@agora/proto';
import type { Response } from 'express';
import type { GatewayConfig } from '../config/gateway-env.schema.js';
import { setRefreshCookie } from './refresh-cookie.js';

/** Puts a fresh session's refresh token in the httpOnly cookie and returns the rest for the client. */
export function sessionAnswer(
  res: Response,
  session: Session,
  config: Pick<GatewayConfig, 'COOKIE_SECURE'>,
): AuthResponse {
  setRefreshCookie(
    res,
    session.refreshToken,
    new Date(session.refreshExpiresAt),
    config.COOKIE_SECURE,
  );
  return authResponseSchema.parse({
    accessToken: session.accessToken,
    accessExpiresAt: session.accessExpiresAt,
    user: session.user,
  });
}
