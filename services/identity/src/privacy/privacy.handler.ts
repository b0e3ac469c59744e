import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { identityRpc } from '@agora/proto';
import { ZodPayloadPipe } from '@agora/platform';
import type { IdentityRequest as Req, IdentityResponse as Res } from '../common/rpc-types.js';
import { PrivacyService } from './privacy.service.js';

@Controller()
export class PrivacyHandler {
  constructor(private readonly privacy: PrivacyService) {}

  @MessagePattern(identityRpc.meExport.subject)
  meExport(
    @Payload(new ZodPayloadPipe(identityRpc.meExport.request)) req: Req<'meExport'>,
  ): Promise<Res<'meExport'>> {
    return this.privacy.export(req.actorId);
  }

  @MessagePattern(identityRpc.meDelete.subject)
  meDelete(
    @Payload(new ZodPayloadPipe(identityRpc.meDelete.request)) req: Req<'meDelete'>,
  ): Promise<Res<'meDelete'>> {
    return this.privacy.delete(req.actorId, req.password);
  }
}
