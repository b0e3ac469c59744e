import { Controller } from '@nestjs/common';
import { Rpc, type VerifiedActor } from '@agora/platform';
import { pointsRpc, type RpcPayload, type RpcResponse } from '@agora/proto';
import { ChargeService } from './charge.service.js';

@Controller()
export class ChargeHandler {
  constructor(private readonly charges: ChargeService) {}

  @Rpc(pointsRpc.chargeCreate)
  charge(
    req: RpcPayload<typeof pointsRpc.chargeCreate>,
    actor: VerifiedActor,
  ): Promise<RpcResponse<typeof pointsRpc.chargeCreate>> {
    return this.charges.charge(actor, req);
  }
}
