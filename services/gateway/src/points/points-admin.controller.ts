import { Controller, Inject } from '@nestjs/common';
import { RpcClient } from '@agora/platform';
import { pointsRoutes, pointsRpc, type RpcResponse } from '@agora/proto';
import { ApiRoute } from '../http/api-route.decorator.js';
import { CurrentPrincipal, type Principal } from '../http/principal.js';
import { Input, type RouteInput } from '../http/route-input.js';

const r = pointsRoutes;

/** The MED Points rules (facilitators and admins) and the admins' ledger tools. */
@Controller()
export class PointsAdminController {
  constructor(@Inject(RpcClient) private readonly rpc: RpcClient) {}

  @ApiRoute(r.rulesGet)
  rules(@CurrentPrincipal() me: Principal): Promise<RpcResponse<typeof pointsRpc.rulesGet>> {
    return this.rpc.call(pointsRpc.rulesGet, {}, { actorToken: me.token });
  }

  @ApiRoute(r.rulesPut)
  updateRules(
    @CurrentPrincipal() me: Principal,
    @Input() input: RouteInput<typeof r.rulesPut>,
  ): Promise<RpcResponse<typeof pointsRpc.rulesUpdate>> {
    return this.rpc.call(pointsRpc.rulesUpdate, input.body, { actorToken: me.token });
  }

  @ApiRoute(r.adjustmentCreate)
  adjust(
    @CurrentPrincipal() me: Principal,
    @Input() input: RouteInput<typeof r.adjustmentCreate>,
  ): Promise<RpcResponse<typeof pointsRpc.adjustmentCreate>> {
    return this.rpc.call(pointsRpc.adjustmentCreate, input.body, { actorToken: me.token });
  }

  @ApiRoute(r.reversalCreate)
  reverse(
    @CurrentPrincipal() me: Principal,
    @Input() input: RouteInput<typeof r.reversalCreate>,
  ): Promise<RpcResponse<typeof pointsRpc.reversalCreate>> {
    return this.rpc.call(pointsRpc.reversalCreate, input.body, { actorToken: me.token });
  }

  @ApiRoute(r.bursts)
  bursts(
    @CurrentPrincipal() me: Principal,
    @Input() input: RouteInput<typeof r.bursts>,
  ): Promise<RpcResponse<typeof pointsRpc.burstsList>> {
    return this.rpc.call(pointsRpc.burstsList, input.query, { actorToken: me.token });
  }

  @ApiRoute(r.rebuild)
  rebuild(@CurrentPrincipal() me: Principal): Promise<RpcResponse<typeof pointsRpc.rebuild>> {
    return this.rpc.call(pointsRpc.rebuild, {}, { actorToken: me.token, timeoutMs: 60_000 });
  }
}
