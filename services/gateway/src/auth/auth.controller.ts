import { Controller, Inject, Req, Res } from '@nestjs/common';
import { RpcCallError, RpcClient } from '@agora/platform';
import {
  identityRecoveryRpc,
  identityRoutes,
  identityRpc,
  type AuthResponse,
  type Session,
} from '@agora/proto';
import type { Request, Response } from 'express';
import { GATEWAY_CONFIG } from '../config/gateway-config.token.js';
import type { GatewayConfig } from '../config/gateway-env.schema.js';
import { ApiError } from '../http/api-error.js';
import { ApiRoute } from '../http/api-route.decorator.js';
import { Client, type ClientInfo } from '../http/client-info.js';
import { Input, type RouteInput } from '../http/route-input.js';
import { assertSameSiteJson } from './cookie-request-guard.js';
import { clearRefreshCookie, refreshTokenOf } from './refresh-cookie.js';
import { sessionAnswer } from './session-answer.js';

const r = identityRoutes;
/** Password hashing (argon2id) on a busy host can take a while. */
const SLOW = { timeoutMs: 15_000 };

/** Sessions: the refresh token lives only in the httpOnly cookie, the rest goes to the client. */
@Controller()
export class AuthController {
  constructor(
    @Inject(RpcClient) private readonly rpc: RpcClient,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {}

  /**
   * 201 with the session when the account works at once; 202 `{ status: 'check-mail' }` when a
   * mail was sent instead, the same for a known address and a new one (identity's `signup`).
   */
  @ApiRoute(r.register)
  async register(
    @Input() input: RouteInput<typeof r.register>,
    @Client() client: ClientInfo,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<AuthResponse | { status: 'check-mail' }> {
    assertSameSiteJson(req, this.config.CORS_ORIGIN);
    const result = await this.rpc.call(identityRecoveryRpc.signup, { ...input.body, client }, SLOW);
    if (result.status === 'check-mail') {
      res.status(202);
      return { status: 'check-mail' };
    }
    return this.answer(res, result.session);
  }

  @ApiRoute(r.login)
  async login(
    @Input() input: RouteInput<typeof r.login>,
    @Client() client: ClientInfo,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<AuthResponse> {
    assertSameSiteJson(req, this.config.CORS_ORIGIN);
    return this.answer(
      res,
      await this.rpc.call(identityRpc.login, { ...input.body, client }, SLOW),
    );
  }

  @ApiRoute(r.refresh)
  async refresh(
    @Input() input: RouteInput<typeof r.refresh>,
    @Client() client: ClientInfo,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<AuthResponse> {
    assertSameSiteJson(req, this.config.CORS_ORIGIN);
    const refreshToken = refreshTokenOf(req);
    if (!refreshToken) throw new ApiError('UNAUTHENTICATED', 'no session: sign in again');
    try {
      const session = await this.rpc.call(identityRpc.refresh, {
        refreshToken,
        client,
        ...input.body,
      });
      return this.answer(res, session);
    } catch (err) {
      // A dead refresh token stays dead: drop the cookie so the client stops sending it.
      if (
        err instanceof RpcCallError &&
        (err.code === 'UNAUTHENTICATED' || err.code === 'TOKEN_EXPIRED')
      ) {
        clearRefreshCookie(res, this.config.COOKIE_SECURE);
      }
      throw err;
    }
  }

  @ApiRoute(r.logout)
  async logout(@Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<void> {
    assertSameSiteJson(req, this.config.CORS_ORIGIN);
    const refreshToken = refreshTokenOf(req);
    clearRefreshCookie(res, this.config.COOKIE_SECURE);
    if (refreshToken) await this.rpc.call(identityRpc.logout, { refreshToken });
  }

  private answer(res: Response, session: Session): AuthResponse {
    return sessionAnswer(res, session, this.config);
  }
}
