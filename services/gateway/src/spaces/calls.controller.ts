import { Controller, Inject } from '@nestjs/common';
import { RpcClient } from '@agora/platform';
import { spacesRoutes, spacesRpc, type CallView, type RpcResponse } from '@agora/proto';
import { ApiRoute } from '../http/api-route.decorator.js';
import { CurrentPrincipal, type Principal } from '../http/principal.js';
import { Input, type RouteInput } from '../http/route-input.js';

const r = spacesRoutes;

/** Calls for proposals; spaces decides who may create, edit and publish them. */
@Controller()
export class CallsController {
  constructor(@Inject(RpcClient) private readonly rpc: RpcClient) {}

  @ApiRoute(r.callCreate)
  create(
    @CurrentPrincipal() me: Principal,
    @Input() input: RouteInput<typeof r.callCreate>,
  ): Promise<CallView> {
    return this.rpc.call(spacesRpc.callCreate, input.body, { actorToken: me.token });
  }

  @ApiRoute(r.callList)
  list(
    @CurrentPrincipal() me: Principal,
    @Input() input: RouteInput<typeof r.callList>,
  ): Promise<RpcResponse<typeof spacesRpc.callList>> {
    return this.rpc.call(spacesRpc.callList, input.query, { actorToken: me.token });
  }

  @ApiRoute(r.callGet)
  get(
    @CurrentPrincipal() me: Principal,
    @Input() input: RouteInput<typeof r.callGet>,
  ): Promise<CallView> {
    return this.rpc.call(spacesRpc.callGet, { id: input.params.id }, { actorToken: me.token });
  }

  @ApiRoute(r.callUpdate)
  update(
    @CurrentPrincipal() me: Principal,
    @Input() input: RouteInput<typeof r.callUpdate>,
  ): Promise<CallView> {
    return this.rpc.call(
      spacesRpc.callUpdate,
      { id: input.params.id, patch: input.body },
      { actorToken: me.token },
    );
  }

  @ApiRoute(r.callPublish)
  publish(
    @CurrentPrincipal() me: Principal,
    @Input() input: RouteInput<typeof r.callPublish>,
  ): Promise<CallView> {
    return this.rpc.call(spacesRpc.callPublish, { id: input.params.id }, { actorToken: me.token });
  }
}
