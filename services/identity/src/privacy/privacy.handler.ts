import { Controller } from '@nestjs/common';
import { identityRpc, type RpcPayload } from '@agora/proto';
import { Rpc } from '@agora/platform';
import { PrivacyService } from './privacy.service.js';

@Controller()
export class PrivacyHandler {
  constructor(private readonly privacy: PrivacyService) {}

  @Rpc(identityRpc.meExport)
  meExport(req: RpcPayload<typeof identityRpc.meExport>) {
    return this.privacy.export(req.actorId);
  }

  @Rpc(identityRpc.meDelete)
  meDelete(req: RpcPayload<typeof identityRpc.meDelete>) {
    return this.privacy.delete(req.actorId, req.password);
  }
}
