import { Controller } from '@nestjs/common';
import { identityRpc, type RpcPayload } from '@agora/proto';
import { Rpc, type VerifiedActor } from '@agora/platform';
import { ProfileService } from './profile.service.js';

@Controller()
export class ProfileHandler {
  constructor(private readonly profiles: ProfileService) {}

  @Rpc(identityRpc.meGet)
  meGet(_req: RpcPayload<typeof identityRpc.meGet>, actor: VerifiedActor) {
    return this.profiles.me(actor.memberId);
  }

  @Rpc(identityRpc.meUpdate)
  meUpdate(req: RpcPayload<typeof identityRpc.meUpdate>, actor: VerifiedActor) {
    return this.profiles.update(actor.memberId, req.patch);
  }

  @Rpc(identityRpc.memberGet)
  memberGet(req: RpcPayload<typeof identityRpc.memberGet>, actor: VerifiedActor) {
    return this.profiles.member(actor.memberId, req.memberId);
  }
}
