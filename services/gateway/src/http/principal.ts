import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import type { Role } from '@agora/proto';
import { ApiError } from './api-error.js';
import { requestState } from './request-state.js';

/** The member a valid access token names. */
export interface Principal {
  memberId: string;
  role: Role;
  /** Token expiry, seconds since the epoch. */
  exp: number;
}

/** The signed-in member of a `member` or `admin` route (the route guard has verified the token). */
export const CurrentPrincipal = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): Principal => {
    const principal = requestState(ctx.switchToHttp().getRequest<Request>()).principal;
    if (!principal) throw new ApiError('UNAUTHENTICATED', 'sign in first');
    return principal;
  },
);
