import { Controller, Inject, Res } from '@nestjs/common';
import { RpcClient } from '@agora/platform';
import { identityRpc, pointsRoutes, pointsRpc, type RpcResponse } from '@agora/proto';
import type { Response } from 'express';
import { ApiRoute } from '../http/api-route.decorator.js';
import { CurrentPrincipal, type Principal } from '../http/principal.js';
import { Input, type RouteInput } from '../http/route-input.js';

const r = pointsRoutes;

/** A member's MED Points: balance, ledger, leaderboards, spending. */
@Controller()
export class PointsController {
  constructor(@Inject(RpcClient) private readonly rpc: RpcClient) {}

  /**
   * Points keeps each member's country for the per-country boards; identity's events carry no
   * country (no personal data on the bus), so the member's own profile is read with their token
   * and handed over. Identity down: points answers without refreshing it.
   */
  @ApiRoute(r.me)
  async me(@CurrentPrincipal() me: Principal): Promise<RpcResponse<typeof pointsRpc.meGet>> {
    const profile = await this.rpc
      .call(identityRpc.meGet, {}, { actorToken: me.token })
      .catch(() => null);
    return this.rpc.call(pointsRpc.meGet, profile ? { country: profile.country } : {}, {
      actorToken: me.token,
    });
  }

  @ApiRoute(r.ledger)
  ledger(
    @CurrentPrincipal() me: Principal,
    @Input() input: RouteInput<typeof r.ledger>,
  ): Promise<RpcResponse<typeof pointsRpc.ledgerList>> {
    return this.rpc.call(pointsRpc.ledgerList, input.query, { actorToken: me.token });
  }

  @ApiRoute(r.leaderboard)
  leaderboard(
    @CurrentPrincipal() me: Principal,
    @Input() input: RouteInput<typeof r.leaderboard>,
  ): Promise<RpcResponse<typeof pointsRpc.leaderboardGet>> {
    return this.rpc.call(pointsRpc.leaderboardGet, input.query, { actorToken: me.token });
  }

  /** 201 for a new charge, 200 when the idempotency key had already charged. */
  @ApiRoute(r.chargeCreate)
  async charge(
    @CurrentPrincipal() me: Principal,
    @Input() input: RouteInput<typeof r.chargeCreate>,
    @Res({ passthrough: true }) res: Response,
  ): Promise<RpcResponse<typeof pointsRpc.chargeCreate>> {
    const result = await this.rpc.call(pointsRpc.chargeCreate, input.body, {
      actorToken: me.token,
    });
    if (result.replayed) res.status(200);
    return result;
  }
}
