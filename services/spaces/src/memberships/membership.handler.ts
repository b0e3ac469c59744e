import { Controller } from '@nestjs/common';
import { Rpc, type VerifiedActor } from '@agora/platform';
import { spacesRpc, type RpcPayload } from '@agora/proto';
import { MembershipService } from './membership.service.js';

@Controller()
export class MembershipHandler {
  constructor(private readonly members: MembershipService) {}

  @Rpc(spacesRpc.memberList)
  list(req: RpcPayload<typeof spacesRpc.memberList>, actor: VerifiedActor) {
    return this.members.list(actor, req.id);
  }

  @Rpc(spacesRpc.memberAdd)
  add(req: RpcPayload<typeof spacesRpc.memberAdd>, actor: VerifiedActor) {
    return this.members.add(actor, req.id, req.memberId, req.role, req.area);
  }

  @Rpc(spacesRpc.memberInviteCheck)
  inviteCheck(req: RpcPayload<typeof spacesRpc.memberInviteCheck>, actor: VerifiedActor) {
    return this.members.inviteCheck(actor, req.id, req.role);
  }

  @Rpc(spacesRpc.memberInviteRecord)
  inviteRecord(req: RpcPayload<typeof spacesRpc.memberInviteRecord>, actor: VerifiedActor) {
    return this.members.inviteRecord(actor, req.id, req.role, req.invitationId);
  }

  @Rpc(spacesRpc.memberUpdate)
  update(req: RpcPayload<typeof spacesRpc.memberUpdate>, actor: VerifiedActor) {
    return this.members.update(actor, req.id, req.memberId, req.role);
  }

  @Rpc(spacesRpc.memberRemove)
  remove(req: RpcPayload<typeof spacesRpc.memberRemove>, actor: VerifiedActor) {
    return this.members.remove(actor, req.id, req.memberId);
  }
}
