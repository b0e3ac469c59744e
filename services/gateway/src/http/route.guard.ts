import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AccessTokens, AccessView, AccessViewUnavailable, RpcFailure } from '@agora/platform';
import type { RouteDef } from '@agora/proto';
import type { Request } from 'express';
import { assertMayTakePart } from '../auth/verified-email.js';
import { RateLimits } from '../rate-limit/rate-limits.js';
import { ApiError } from './api-error.js';
import { ROUTE_DEF } from './api-route.decorator.js';
import { requestState } from './request-state.js';
import { validateInput } from './validate-input.js';

/** `Authorization: Bearer <token>` → the token, or undefined when absent. */
export function bearerToken(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match?.[1])
    throw new ApiError('UNAUTHENTICATED', 'Authorization header must be "Bearer <token>"');
  return match[1];
}

/**
 * Runs before every proto route, in this order: authentication and role (per `route.auth`), the
 * member's rate limit, then validation of params, query and body against the route's schemas.
 */
@Injectable()
export class RouteGuard implements CanActivate {
  constructor(
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(AccessTokens) private readonly tokens: AccessTokens,
    @Inject(RateLimits) private readonly limits: RateLimits,
    @Inject(AccessView) private readonly access: AccessView,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const def = this.reflector.get<RouteDef | undefined>(ROUTE_DEF, context.getHandler());
    if (!def) return true; // health and docs routes
    const req = context.switchToHttp().getRequest<Request>();
    const state = requestState(req);

    if (def.auth !== 'public') {
      const token = bearerToken(req.get('authorization'));
      if (!token)
        throw new ApiError(
          'UNAUTHENTICATED',
          'sign in first: send "Authorization: Bearer <access token>"',
        );
      const claims = await this.verify(token);
      // A suspended or deleted account's token, an ended session's, or one with a role the member
      // no longer has: refused as expired, so the client refreshes (and signs out if it cannot).
      const refusal = await this.access.check(claims).catch((err: unknown) => {
        if (err instanceof AccessViewUnavailable) throw new ApiError('UNAVAILABLE', err.message);
        throw err;
      });
      if (refusal) throw new ApiError('TOKEN_EXPIRED', `${refusal}: refresh the session`);
      if (def.auth === 'admin' && claims.role !== 'admin')
        throw new ApiError('FORBIDDEN', 'admins only');
      assertMayTakePart(def, claims);
      state.principal = {
        memberId: claims.sub,
        role: claims.role,
        exp: claims.exp,
        token,
        ...(claims.sid === undefined ? {} : { sid: claims.sid }),
      };
      this.limits.checkMember(claims.sub);
    }

    state.input = validateInput(def, {
      params: req.params as Record<string, string>,
      query: req.query,
      body: req.body as unknown,
    });
    return true;
  }

  private async verify(token: string): Promise<Awaited<ReturnType<AccessTokens['verify']>>> {
    try {
      return await this.tokens.verify(token);
    } catch (err) {
      if (err instanceof RpcFailure) throw new ApiError(err.code, err.body.message);
      throw err;
    }
  }
}
