import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { identityRpc } from '@agora/proto';
import { ZodPayloadPipe } from '@agora/platform';
import type { IdentityRequest as Req, IdentityResponse as Res } from '../common/rpc-types.js';
import { InvitationService } from './invitation.service.js';

@Controller()
export class InvitationHandler {
  constructor(private readonly invitations: InvitationService) {}

  @MessagePattern(identityRpc.invitationCreate.subject)
  create(
    @Payload(new ZodPayloadPipe(identityRpc.invitationCreate.request)) req: Req<'invitationCreate'>,
  ): Promise<Res<'invitationCreate'>> {
    return this.invitations.create(req.actorId, req.email, req.message);
  }

  @MessagePattern(identityRpc.invitationList.subject)
  list(
    @Payload(new ZodPayloadPipe(identityRpc.invitationList.request)) req: Req<'invitationList'>,
  ): Promise<Res<'invitationList'>> {
    return this.invitations.list(req.actorId);
  }

  @MessagePattern(identityRpc.invitationLookup.subject)
  lookup(
    @Payload(new ZodPayloadPipe(identityRpc.invitationLookup.request)) req: Req<'invitationLookup'>,
  ): Promise<Res<'invitationLookup'>> {
    return this.invitations.lookup(req.token);
  }
}
