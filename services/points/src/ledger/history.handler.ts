import { Controller } from '@nestjs/common';
import { Rpc, type VerifiedActor } from '@agora/platform';
import { pointsRpc, type RpcPayload, type RpcResponse } from '@agora/proto';
import { HistoryService } from './history.service.js';

/** The member's balance and ledger. */
@Controller()
export class HistoryHandler {
  constructor(private readonly history: HistoryService) {}

  @Rpc(pointsRpc.meGet)
  me(
    req: RpcPayload<typeof pointsRpc.meGet>,
    actor: VerifiedActor,
  ): Promise<RpcResponse<typeof pointsRpc.meGet>> {
    return this.history.summary(actor, req.country);
  }

  @Rpc(pointsRpc.ledgerList)
  ledger(
    req: RpcPayload<typeof pointsRpc.ledgerList>,
    actor: VerifiedActor,
  ): Promise<RpcResponse<typeof pointsRpc.ledgerList>> {
    return this.history.page(actor, req);
  }
}
