import type { Request } from 'express';
import type { Role } from '@agora/proto';

/** The member a valid access token names, and that token. */
export interface Principal {
  memberId: string;
  role: Role;
  /** Token expiry, seconds since the epoch. */
  exp: number;
  /** The verified access token itself: every member RPC carries it, so the service checks it too. */
  token: string;
  /** The sign-in (session) the token belongs to (its `sid` claim), when it names one. */
  sid?: string;
}

/** What the gateway learned about a request: its id, the signed-in member, the validated input. */
export interface RequestState {
  requestId: string;
  principal?: Principal;
  input?: { params: Record<string, unknown>; query: Record<string, unknown>; body: unknown };
}

const STATE = Symbol('agora.request-state');
type WithState = Request & { [STATE]?: RequestState };

export function requestState(req: Request): RequestState {
  const r = req as WithState;
  r[STATE] ??= { requestId: '' };
  return r[STATE];
}
