import { Controller } from '@nestjs/common';
import { Rpc, type VerifiedActor } from '@agora/platform';
import { pointsRpc, type RpcPayload, type RpcResponse } from '@agora/proto';
import { RulesService } from './rules.service.js';

/** Facilitators and admins read and change the rules. */
@Controller()
export class RulesHandler {
  constructor(private readonly rules: RulesService) {}

  @Rpc(pointsRpc.rulesGet)
  get(
    _req: RpcPayload<typeof pointsRpc.rulesGet>,
    actor: VerifiedActor,
  ): Promise<RpcResponse<typeof pointsRpc.rulesGet>> {
    return this.rules.ruleset(actor);
  }

  @Rpc(pointsRpc.rulesUpdate)
  update(
    req: RpcPayload<typeof pointsRpc.rulesUpdate>,
    actor: VerifiedActor,
  ): Promise<RpcResponse<typeof pointsRpc.rulesUpdate>> {
    return this.rules.update(actor, req);
  }
}
