import { Controller } from '@nestjs/common';
import { identityRpc, type RpcPayload } from '@agora/proto';
import { Rpc, type VerifiedActor } from '@agora/platform';
import { InvitationService } from './invitation.service.js';

@Controller()
export class InvitationHandler {
  constructor(private readonly invitations: InvitationService) {}

  @Rpc(identityRpc.invitationCreate)
  create(req: RpcPayload<typeof identityRpc.invitationCreate>, actor: VerifiedActor) {
    return this.invitations.create(actor.memberId, req.email, req.message, req.language);
  }

  @Rpc(identityRpc.invitationList)
  list(_req: RpcPayload<typeof identityRpc.invitationList>, actor: VerifiedActor) {
    return this.invitations.list(actor.memberId);
  }

  @Rpc(identityRpc.invitationLookup)
  lookup(req: RpcPayload<typeof identityRpc.invitationLookup>) {
    return this.invitations.lookup(req.token);
  }
}
