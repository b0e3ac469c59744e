import type { Request } from 'express';
import type { Role } from '@agora/proto';

/** What the gateway learned about a request: its id, the signed-in member, the validated input. */
export interface RequestState {
  requestId: string;
  principal?: { memberId: string; role: Role; exp: number };
  input?: { params: Record<string, unknown>; query: Record<string, unknown>; body: unknown };
}

const STATE = Symbol('agora.request-state');
type WithState = Request & { [STATE]?: RequestState };

export function requestState(req: Request): RequestState {
  const r = req as WithState;
  r[STATE] ??= { requestId: '' };
  return r[STATE];
}
