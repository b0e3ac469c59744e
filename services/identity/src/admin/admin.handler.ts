import { Controller } from '@nestjs/common';
import { identityRpc, type RpcPayload } from '@agora/proto';
import { Rpc } from '@agora/platform';
import { AdminService } from './admin.service.js';

@Controller()
export class AdminHandler {
  constructor(private readonly admin: AdminService) {}

  @Rpc(identityRpc.memberList)
  memberList(req: RpcPayload<typeof identityRpc.memberList>) {
    return this.admin.listMembers(req.actorId, req.page);
  }

  @Rpc(identityRpc.roleSet)
  roleSet(req: RpcPayload<typeof identityRpc.roleSet>) {
    return this.admin.setRole(req.actorId, req.memberId, req.role);
  }

  @Rpc(identityRpc.mailboxList)
  mailboxList(req: RpcPayload<typeof identityRpc.mailboxList>) {
    return this.admin.mailbox(req.actorId, req.page);
  }
}
