import { Controller } from '@nestjs/common';
import { identityRpc, type RpcPayload } from '@agora/proto';
import { Rpc, type VerifiedActor } from '@agora/platform';
import { PrivacyService } from './privacy.service.js';

@Controller()
export class PrivacyHandler {
  constructor(private readonly privacy: PrivacyService) {}

  @Rpc(identityRpc.meExport)
  meExport(_req: RpcPayload<typeof identityRpc.meExport>, actor: VerifiedActor) {
    return this.privacy.export(actor.memberId);
  }

  @Rpc(identityRpc.meDelete)
  meDelete(req: RpcPayload<typeof identityRpc.meDelete>, actor: VerifiedActor) {
    return this.privacy.delete(actor.memberId, req.password);
  }
}
