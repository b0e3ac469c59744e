import {
  AccessViewUnavailable,
  RpcFailure,
  type AccessTokens,
  type AccessView,
} from '@agora/platform';
import { socketAuthErrors, type ErrorCode, type SocketRefusal } from '@agora/proto';
import type { Principal } from '../http/principal.js';

/** A refused handshake: socket.io sends `data` to the client as `connect_error`'s `err.data`. */
export class SocketAuthError extends Error {
  readonly data: SocketRefusal;

  constructor(code: ErrorCode, message: string, retryAfterSeconds?: number) {
    super(message);
    this.data =
      retryAfterSeconds === undefined ? { code, message } : { code, message, retryAfterSeconds };
  }
}

/**
 * Verifies the handshake's `auth.token` with the public key, then against the gateway's view of
 * identity's events: a token of a suspended or deleted account, of an ended session, or carrying a
 * role the member no longer has is refused with TOKEN_EXPIRED and why (the client refreshes: a
 * living session gets a token with the current role, an ended one is refused there and signs out).
 * Other refusals carry UNAUTHENTICATED; a view not loaded yet, UNAVAILABLE with a retry delay.
 */
export async function authenticateHandshake(
  auth: unknown,
  tokens: AccessTokens,
  view: AccessView,
): Promise<Principal> {
  const token =
    typeof auth === 'object' && auth !== null ? (auth as { token?: unknown }).token : undefined;
  if (typeof token !== 'string' || token.length === 0 || token.length > 4096) {
    throw new SocketAuthError(socketAuthErrors.missing, 'send the access token as auth.token');
  }
  let claims: Awaited<ReturnType<AccessTokens['verify']>>;
  try {
    claims = await tokens.verify(token);
  } catch (err) {
    if (err instanceof RpcFailure && err.code === 'TOKEN_EXPIRED') {
      throw new SocketAuthError(
        socketAuthErrors.expired,
        'access token expired: refresh, then reconnect',
      );
    }
    throw new SocketAuthError(socketAuthErrors.invalid, 'access token invalid');
  }
  let refusal: Awaited<ReturnType<AccessView['check']>>;
  try {
    refusal = await view.check(claims);
  } catch (err) {
    if (err instanceof AccessViewUnavailable)
      throw new SocketAuthError(socketAuthErrors.unavailable, err.message, 2);
    throw err;
  }
  if (refusal)
    throw new SocketAuthError(socketAuthErrors.revoked, `${refusal}: refresh, then reconnect`);
  return {
    memberId: claims.sub,
    role: claims.role,
    exp: claims.exp,
    token,
    ...(claims.sid === undefined ? {} : { sid: claims.sid }),
  };
}
