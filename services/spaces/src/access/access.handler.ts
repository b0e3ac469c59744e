import { Controller } from '@nestjs/common';
import { Rpc } from '@agora/platform';
import { spacesRpc, type RpcPayload } from '@agora/proto';
import { AccessService } from './access.service.js';

/** The rights collab and the gateway ask for (service calls: the member is in the request). */
@Controller()
export class AccessHandler {
  constructor(private readonly access: AccessService) {}

  @Rpc(spacesRpc.docAccess)
  docAccess(req: RpcPayload<typeof spacesRpc.docAccess>) {
    return this.access.docAccess(req.memberId, req.docName);
  }

  @Rpc(spacesRpc.roomAccess)
  roomAccess(req: RpcPayload<typeof spacesRpc.roomAccess>) {
    return this.access.roomAccess(req.memberId, req.spaceId);
  }
}
