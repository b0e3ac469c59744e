import { Controller, Inject } from '@nestjs/common';
import { RpcClient } from '@agora/platform';
import { accountRoutes, accountRpc, type RpcResponse } from '@agora/proto';
import { ApiRoute } from '../http/api-route.decorator.js';
import { CurrentPrincipal, type Principal } from '../http/principal.js';
import { Input, type RouteInput } from '../http/route-input.js';

const r = accountRoutes;

/** The signed-in member's devices: identity decides, from the token's `sid`, which one is asking. */
@Controller()
export class AccountSessionsController {
  constructor(@Inject(RpcClient) private readonly rpc: RpcClient) {}

  @ApiRoute(r.mySessions)
  list(@CurrentPrincipal() me: Principal): Promise<RpcResponse<typeof accountRpc.sessionList>> {
    return this.rpc.call(accountRpc.sessionList, {}, { actorToken: me.token });
  }

  @ApiRoute(r.mySessionRevoke)
  async revoke(
    @CurrentPrincipal() me: Principal,
    @Input() input: RouteInput<typeof r.mySessionRevoke>,
  ): Promise<void> {
    await this.rpc.call(
      accountRpc.sessionRevoke,
      { sessionId: input.params.id },
      { actorToken: me.token },
    );
  }

  @ApiRoute(r.mySessionsRevokeOthers)
  revokeOthers(
    @CurrentPrincipal() me: Principal,
  ): Promise<RpcResponse<typeof accountRpc.sessionRevokeOthers>> {
    return this.rpc.call(accountRpc.sessionRevokeOthers, {}, { actorToken: me.token });
  }
}
