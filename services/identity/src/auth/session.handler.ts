import { Controller } from '@nestjs/common';
import { accountRpc, type RpcPayload } from '@agora/proto';
import { Rpc, type VerifiedActor } from '@agora/platform';
import { SessionService } from './session.service.js';

/** The calling member's sessions: list, end one, end all others. */
@Controller()
export class SessionHandler {
  constructor(private readonly sessions: SessionService) {}

  @Rpc(accountRpc.sessionList)
  async sessionList(_req: RpcPayload<typeof accountRpc.sessionList>, actor: VerifiedActor) {
    return { items: await this.sessions.list(actor) };
  }

  @Rpc(accountRpc.sessionRevoke)
  async sessionRevoke(req: RpcPayload<typeof accountRpc.sessionRevoke>, actor: VerifiedActor) {
    await this.sessions.revoke(actor, req.sessionId);
    return { ok: true as const };
  }

  @Rpc(accountRpc.sessionRevokeOthers)
  async sessionRevokeOthers(
    _req: RpcPayload<typeof accountRpc.sessionRevokeOthers>,
    actor: VerifiedActor,
  ) {
    return { revoked: await this.sessions.revokeOthers(actor) };
  }
}
