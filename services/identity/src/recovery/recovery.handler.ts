import { Controller } from '@nestjs/common';
import { identityRecoveryRpc, type RpcPayload } from '@agora/proto';
import { Rpc, type VerifiedActor } from '@agora/platform';
import { RecoveryService } from './recovery.service.js';

const r = identityRecoveryRpc;

@Controller()
export class RecoveryHandler {
  constructor(private readonly recovery: RecoveryService) {}

  @Rpc(r.signup)
  signup(req: RpcPayload<typeof r.signup>) {
    return this.recovery.signup(req);
  }

  @Rpc(r.emailLinkFollow)
  follow(req: RpcPayload<typeof r.emailLinkFollow>) {
    return this.recovery.followEmailLink(req.token, req.client);
  }

  @Rpc(r.verificationResend)
  async resend(_req: RpcPayload<typeof r.verificationResend>, actor: VerifiedActor) {
    await this.recovery.resendVerification(actor.memberId);
    return { ok: true as const };
  }

  @Rpc(r.accountEmailState)
  emailState(_req: RpcPayload<typeof r.accountEmailState>, actor: VerifiedActor) {
    return this.recovery.emailState(actor.memberId);
  }

  @Rpc(r.passwordResetRequest)
  async resetRequest(req: RpcPayload<typeof r.passwordResetRequest>) {
    await this.recovery.requestPasswordReset(req.email, req.client);
    return { ok: true as const };
  }

  @Rpc(r.passwordReset)
  async reset(req: RpcPayload<typeof r.passwordReset>) {
    await this.recovery.resetPassword(req.token, req.password, req.client);
    return { ok: true as const };
  }

  @Rpc(r.passwordChange)
  async changePassword(req: RpcPayload<typeof r.passwordChange>, actor: VerifiedActor) {
    const sessionsEnded = await this.recovery.changePassword(
      actor.memberId,
      actor.sessionId,
      req.currentPassword,
      req.newPassword,
    );
    return { ok: true as const, sessionsEnded };
  }

  @Rpc(r.emailChange)
  async changeEmail(req: RpcPayload<typeof r.emailChange>, actor: VerifiedActor) {
    await this.recovery.changeEmail(actor.memberId, req.password, req.newEmail);
    return { ok: true as const };
  }
}
