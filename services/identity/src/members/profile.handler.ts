import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { identityRpc } from '@agora/proto';
import { ZodPayloadPipe } from '@agora/platform';
import type { IdentityRequest as Req, IdentityResponse as Res } from '../common/rpc-types.js';
import { ProfileService } from './profile.service.js';

@Controller()
export class ProfileHandler {
  constructor(private readonly profiles: ProfileService) {}

  @MessagePattern(identityRpc.meGet.subject)
  meGet(
    @Payload(new ZodPayloadPipe(identityRpc.meGet.request)) req: Req<'meGet'>,
  ): Promise<Res<'meGet'>> {
    return this.profiles.me(req.actorId);
  }

  @MessagePattern(identityRpc.meUpdate.subject)
  meUpdate(
    @Payload(new ZodPayloadPipe(identityRpc.meUpdate.request)) req: Req<'meUpdate'>,
  ): Promise<Res<'meUpdate'>> {
    return this.profiles.update(req.actorId, req.patch);
  }

  @MessagePattern(identityRpc.memberGet.subject)
  memberGet(
    @Payload(new ZodPayloadPipe(identityRpc.memberGet.request)) req: Req<'memberGet'>,
  ): Promise<Res<'memberGet'>> {
    return this.profiles.member(req.actorId, req.memberId);
  }
}
