import { Controller } from '@nestjs/common';
import { Rpc, type VerifiedActor } from '@agora/platform';
import { spacesRpc, type RpcPayload } from '@agora/proto';
import { CallService } from './call.service.js';

@Controller()
export class CallHandler {
  constructor(private readonly calls: CallService) {}

  @Rpc(spacesRpc.callCreate)
  create(req: RpcPayload<typeof spacesRpc.callCreate>, actor: VerifiedActor) {
    return this.calls.create(actor, req);
  }

  @Rpc(spacesRpc.callUpdate)
  update(req: RpcPayload<typeof spacesRpc.callUpdate>, actor: VerifiedActor) {
    return this.calls.update(actor, req.id, req.patch);
  }

  @Rpc(spacesRpc.callPublish)
  publish(req: RpcPayload<typeof spacesRpc.callPublish>, actor: VerifiedActor) {
    return this.calls.publish(actor, req.id);
  }

  @Rpc(spacesRpc.callGet)
  get(req: RpcPayload<typeof spacesRpc.callGet>, actor: VerifiedActor) {
    return this.calls.get(actor, req.id);
  }

  @Rpc(spacesRpc.callList)
  list(req: RpcPayload<typeof spacesRpc.callList>, actor: VerifiedActor) {
    return this.calls.list(actor, req);
  }
}
