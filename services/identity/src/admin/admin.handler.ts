import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { identityRpc } from '@agora/proto';
import { ZodPayloadPipe } from '@agora/platform';
import type { IdentityRequest as Req, IdentityResponse as Res } from '../common/rpc-types.js';
import { AdminService } from './admin.service.js';

@Controller()
export class AdminHandler {
  constructor(private readonly admin: AdminService) {}

  @MessagePattern(identityRpc.memberList.subject)
  memberList(
    @Payload(new ZodPayloadPipe(identityRpc.memberList.request)) req: Req<'memberList'>,
  ): Promise<Res<'memberList'>> {
    return this.admin.listMembers(req.actorId, req.page);
  }

  @MessagePattern(identityRpc.roleSet.subject)
  roleSet(
    @Payload(new ZodPayloadPipe(identityRpc.roleSet.request)) req: Req<'roleSet'>,
  ): Promise<Res<'roleSet'>> {
    return this.admin.setRole(req.actorId, req.memberId, req.role);
  }

  @MessagePattern(identityRpc.mailboxList.subject)
  mailboxList(
    @Payload(new ZodPayloadPipe(identityRpc.mailboxList.request)) req: Req<'mailboxList'>,
  ): Promise<Res<'mailboxList'>> {
    return this.admin.mailbox(req.actorId, req.page);
  }
}
