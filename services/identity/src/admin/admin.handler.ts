import { Controller } from '@nestjs/common';
import { identityRpc, type RpcPayload } from '@agora/proto';
import { Rpc, type VerifiedActor } from '@agora/platform';
import { AdminService } from './admin.service.js';

@Controller()
export class AdminHandler {
  constructor(private readonly admin: AdminService) {}

  @Rpc(identityRpc.memberList)
  memberList(req: RpcPayload<typeof identityRpc.memberList>, actor: VerifiedActor) {
    return this.admin.listMembers(actor.memberId, req.page);
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
