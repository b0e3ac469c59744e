import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { ApiError } from './api-error.js';
import { requestState, type Principal } from './request-state.js';

export type { Principal };

/** The signed-in member of a `member` or `admin` route (the route guard has verified the token). */
export const CurrentPrincipal = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): Principal => {
    const principal = requestState(ctx.switchToHttp().getRequest<Request>()).principal;
    if (!principal) throw new ApiError('UNAUTHENTICATED', 'sign in first');
    return principal;
  },
);
