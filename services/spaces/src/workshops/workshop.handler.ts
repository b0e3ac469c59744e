import { Controller } from '@nestjs/common';
import { Rpc, type VerifiedActor } from '@agora/platform';
import { workshopRpc, type RpcPayload } from '@agora/proto';
import { WorkshopService } from './workshop.service.js';

@Controller()
export class WorkshopHandler {
  constructor(private readonly workshops: WorkshopService) {}

  @Rpc(workshopRpc.workshopCreate)
  create(req: RpcPayload<typeof workshopRpc.workshopCreate>, actor: VerifiedActor) {
    return this.workshops.create(actor, req);
  }

  @Rpc(workshopRpc.workshopUpdate)
  update(req: RpcPayload<typeof workshopRpc.workshopUpdate>, actor: VerifiedActor) {
    return this.workshops.update(actor, req.id, req.patch);
  }

  @Rpc(workshopRpc.workshopGet)
  get(req: RpcPayload<typeof workshopRpc.workshopGet>, actor: VerifiedActor) {
    return this.workshops.get(actor, req.id);
  }

  @Rpc(workshopRpc.workshopList)
  list(req: RpcPayload<typeof workshopRpc.workshopList>, actor: VerifiedActor) {
    return this.workshops.list(actor, req);
  }
}
