import { Controller } from '@nestjs/common';
import { identityRpc, type RpcPayload } from '@agora/proto';
import { Rpc } from '@agora/platform';
import { InvitationService } from './invitation.service.js';

@Controller()
export class InvitationHandler {
  constructor(private readonly invitations: InvitationService) {}

  @Rpc(identityRpc.invitationCreate)
  create(req: RpcPayload<typeof identityRpc.invitationCreate>) {
    return this.invitations.create(req.actorId, req.email, req.message);
  }

  @Rpc(identityRpc.invitationList)
  list(req: RpcPayload<typeof identityRpc.invitationList>) {
    return this.invitations.list(req.actorId);
  }

  @Rpc(identityRpc.invitationLookup)
  lookup(req: RpcPayload<typeof identityRpc.invitationLookup>) {
    return this.invitations.lookup(req.token);
  }
}
