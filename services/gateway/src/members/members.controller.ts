import { Controller, Inject } from '@nestjs/common';
import { RpcClient } from '@agora/platform';
import { identityRoutes, identityRpc, type PublicMember } from '@agora/proto';
import { ApiRoute } from '../http/api-route.decorator.js';
import { CurrentPrincipal, type Principal } from '../http/principal.js';
import { Input, type RouteInput } from '../http/route-input.js';

const r = identityRoutes;

/** Other members' public profiles. */
@Controller()
export class MembersController {
  constructor(@Inject(RpcClient) private readonly rpc: RpcClient) {}

  @ApiRoute(r.memberGet)
  get(
    @CurrentPrincipal() me: Principal,
    @Input() input: RouteInput<typeof r.memberGet>,
  ): Promise<PublicMember> {
    return this.rpc.call(
      identityRpc.memberGet,
      { memberId: input.params.id },
      { actorToken: me.token },
    );
  }
}
