import { RpcFailure, type AccessTokens } from '@agora/platform';
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
 * Verifies the handshake's `auth.token` with the public key; refusals carry UNAUTHENTICATED or
 * TOKEN_EXPIRED.
 */
export async function authenticateHandshake(
  auth: unknown,
  tokens: AccessTokens,
): Promise<Principal> {
  const token =
    typeof auth === 'object' && auth !== null ? (auth as { token?: unknown }).token : undefined;
  if (typeof token !== 'string' || token.length === 0 || token.length > 4096) {
    throw new SocketAuthError(socketAuthErrors.missing, 'send the access token as auth.token');
  }
  try {
    const claims = await tokens.verify(token);
    return { memberId: claims.sub, role: claims.role, exp: claims.exp, token };
  } catch (err) {
    if (err instanceof RpcFailure && err.code === 'TOKEN_EXPIRED') {
      throw new SocketAuthError(
        socketAuthErrors.expired,
        'access token expired: refresh, then reconnect',
      );
    }
    throw new SocketAuthError(socketAuthErrors.invalid, 'access token invalid');
  }
}
