import { Controller } from '@nestjs/common';
import { accountRpc, identityRpc, type RpcPayload } from '@agora/proto';
import { Rpc, type VerifiedActor } from '@agora/platform';
import { AdminService } from './admin.service.js';

@Controller()
export class AdminHandler {
  constructor(private readonly admin: AdminService) {}

  @Rpc(identityRpc.memberList)
  memberList(req: RpcPayload<typeof identityRpc.memberList>, actor: VerifiedActor) {
    return this.admin.listMembers(actor.memberId, req.page, req.filter);
  }

  @Rpc(accountRpc.memberSuspend)
  memberSuspend(req: RpcPayload<typeof accountRpc.memberSuspend>, actor: VerifiedActor) {
    return this.admin.suspend(actor.memberId, req.memberId, req.reason);
  }

  @Rpc(accountRpc.memberReinstate)
  memberReinstate(req: RpcPayload<typeof accountRpc.memberReinstate>, actor: VerifiedActor) {
    return this.admin.reinstate(actor.memberId, req.memberId, req.reason);
  }

  @Rpc(identityRpc.roleSet)
  roleSet(req: RpcPayload<typeof identityRpc.roleSet>, actor: VerifiedActor) {
    return this.admin.setRole(actor.memberId, req.memberId, req.role);
  }

  @Rpc(identityRpc.mailboxList)
  mailboxList(req: RpcPayload<typeof identityRpc.mailboxList>, actor: VerifiedActor) {
    return this.admin.mailbox(actor.memberId, req.page);
  }
}
