import { Controller, Inject, Req, Res } from '@nestjs/common';
import { RpcClient } from '@agora/platform';
import {
  identityRecoveryRpc,
  recoveryRoutes,
  type AccountEmailState,
  type EmailLinkResponse,
} from '@agora/proto';
import type { Request, Response } from 'express';
import { GATEWAY_CONFIG } from '../config/gateway-config.token.js';
import type { GatewayConfig } from '../config/gateway-env.schema.js';
import { ApiRoute } from '../http/api-route.decorator.js';
import { Client, type ClientInfo } from '../http/client-info.js';
import { CurrentPrincipal, type Principal } from '../http/principal.js';
import { Input, type RouteInput } from '../http/route-input.js';
import { assertSameSiteJson } from './cookie-request-guard.js';
import { sessionAnswer } from './session-answer.js';

const r = recoveryRoutes;
const rpc = identityRecoveryRpc;
/** Password hashing (argon2id) on a busy host can take a while. */
const SLOW = { timeoutMs: 15_000 };
const checkMail = { status: 'check-mail' } as const;

/** Password reset and change, email verification and change (identity's recovery RPCs). */
@Controller()
export class RecoveryController {
  constructor(
    @Inject(RpcClient) private readonly rpc: RpcClient,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {}

  @ApiRoute(r.passwordResetRequest)
  async resetRequest(
    @Input() input: RouteInput<typeof r.passwordResetRequest>,
    @Client() client: ClientInfo,
  ): Promise<typeof checkMail> {
    await this.rpc.call(rpc.passwordResetRequest, { ...input.body, client });
    return checkMail;
  }

  @ApiRoute(r.passwordReset)
  async reset(
    @Input() input: RouteInput<typeof r.passwordReset>,
    @Client() client: ClientInfo,
  ): Promise<void> {
    await this.rpc.call(rpc.passwordReset, { ...input.body, client }, SLOW);
  }

  /** May sign in (a sign-up link): sets the refresh cookie, so it is held to same-site JSON. */
  @ApiRoute(r.verifyEmail)
  async verifyEmail(
    @Input() input: RouteInput<typeof r.verifyEmail>,
    @Client() client: ClientInfo,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<EmailLinkResponse> {
    assertSameSiteJson(req, this.config.CORS_ORIGIN);
    const result = await this.rpc.call(
      rpc.emailLinkFollow,
      { token: input.body.token, client },
      SLOW,
    );
    if (result.status === 'signed-in')
      return { status: 'signed-in', ...sessionAnswer(res, result.session, this.config) };
    return result;
  }

  @ApiRoute(r.myEmailState)
  emailState(@CurrentPrincipal() me: Principal): Promise<AccountEmailState> {
    return this.rpc.call(rpc.accountEmailState, {}, { actorToken: me.token });
  }

  @ApiRoute(r.myVerificationResend)
  async resend(@CurrentPrincipal() me: Principal): Promise<typeof checkMail> {
    await this.rpc.call(rpc.verificationResend, {}, { actorToken: me.token });
    return checkMail;
  }

  @ApiRoute(r.myEmailChange)
  async changeEmail(
    @CurrentPrincipal() me: Principal,
    @Input() input: RouteInput<typeof r.myEmailChange>,
  ): Promise<typeof checkMail> {
    await this.rpc.call(rpc.emailChange, input.body, { actorToken: me.token, ...SLOW });
    return checkMail;
  }

  @ApiRoute(r.myPasswordChange)
  async changePassword(
    @CurrentPrincipal() me: Principal,
    @Input() input: RouteInput<typeof r.myPasswordChange>,
  ): Promise<{ sessionsEnded: number }> {
    const { sessionsEnded } = await this.rpc.call(rpc.passwordChange, input.body, {
      actorToken: me.token,
      ...SLOW,
    });
    return { sessionsEnded };
  }
}
