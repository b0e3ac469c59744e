import { Controller, Inject } from '@nestjs/common';
import { RpcClient } from '@agora/platform';
import {
  ideaRoutes,
  ideaRpc,
  type IdeaDetailView,
  type IdeaView,
  type RpcResponse,
} from '@agora/proto';
import { ApiRoute } from '../http/api-route.decorator.js';
import { CurrentPrincipal, type Principal } from '../http/principal.js';
import { Input, type RouteInput } from '../http/route-input.js';

const r = ideaRoutes;

/** The ideas library; spaces decides who sees, edits and supports what. */
@Controller()
export class IdeasController {
  constructor(@Inject(RpcClient) private readonly rpc: RpcClient) {}

  @ApiRoute(r.ideaList)
  list(
    @CurrentPrincipal() me: Principal,
    @Input() input: RouteInput<typeof r.ideaList>,
  ): Promise<RpcResponse<typeof ideaRpc.ideaList>> {
    return this.rpc.call(ideaRpc.ideaList, input.query, { actorToken: me.token });
  }

  @ApiRoute(r.ideaGet)
  get(
    @CurrentPrincipal() me: Principal,
    @Input() input: RouteInput<typeof r.ideaGet>,
  ): Promise<IdeaDetailView> {
    return this.rpc.call(ideaRpc.ideaGet, { id: input.params.id }, { actorToken: me.token });
  }

  @ApiRoute(r.lessonsSet)
  setLessons(
    @CurrentPrincipal() me: Principal,
    @Input() input: RouteInput<typeof r.lessonsSet>,
  ): Promise<IdeaView> {
    return this.rpc.call(
      ideaRpc.lessonsSet,
      { ...input.body, id: input.params.id },
      { actorToken: me.token },
    );
  }

  @ApiRoute(r.statusSet)
  setStatus(
    @CurrentPrincipal() me: Principal,
    @Input() input: RouteInput<typeof r.statusSet>,
  ): Promise<IdeaView> {
    return this.rpc.call(
      ideaRpc.statusSet,
      { id: input.params.id, status: input.body.status },
      { actorToken: me.token },
    );
  }

  @ApiRoute(r.supportPut)
  support(
    @CurrentPrincipal() me: Principal,
    @Input() input: RouteInput<typeof r.supportPut>,
  ): Promise<RpcResponse<typeof ideaRpc.supportSet>> {
    return this.rpc.call(
      ideaRpc.supportSet,
      { id: input.params.id, supported: true },
      { actorToken: me.token },
    );
  }

  @ApiRoute(r.supportDelete)
  withdraw(
    @CurrentPrincipal() me: Principal,
    @Input() input: RouteInput<typeof r.supportDelete>,
  ): Promise<RpcResponse<typeof ideaRpc.supportSet>> {
    return this.rpc.call(
      ideaRpc.supportSet,
      { id: input.params.id, supported: false },
      { actorToken: me.token },
    );
  }
}
