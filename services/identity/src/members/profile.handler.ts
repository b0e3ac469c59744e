import { Controller } from '@nestjs/common';
import { identityRpc, type RpcPayload } from '@agora/proto';
import { Rpc } from '@agora/platform';
import { ProfileService } from './profile.service.js';

@Controller()
export class ProfileHandler {
  constructor(private readonly profiles: ProfileService) {}

  @Rpc(identityRpc.meGet)
  meGet(req: RpcPayload<typeof identityRpc.meGet>) {
    return this.profiles.me(req.actorId);
  }

  @Rpc(identityRpc.meUpdate)
  meUpdate(req: RpcPayload<typeof identityRpc.meUpdate>) {
    return this.profiles.update(req.actorId, req.patch);
  }

  @Rpc(identityRpc.memberGet)
  memberGet(req: RpcPayload<typeof identityRpc.memberGet>) {
    return this.profiles.member(req.actorId, req.memberId);
  }
}
