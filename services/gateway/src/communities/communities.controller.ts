import { Controller, Inject } from '@nestjs/common';
import { RpcClient } from '@agora/platform';
import {
  communityRoutes,
  communityRpc,
  type CommunityView,
  type RpcResponse,
  type SpaceSummary,
} from '@agora/proto';
import { ApiRoute } from '../http/api-route.decorator.js';
import { CurrentPrincipal, type Principal } from '../http/principal.js';
import { Input, type RouteInput } from '../http/route-input.js';

const r = communityRoutes;
const as = (me: Principal) => ({ actorToken: me.token });

/** Communities and the generic space look-up; spaces decides who sees and joins what. */
@Controller()
export class CommunitiesController {
  constructor(@Inject(RpcClient) private readonly rpc: RpcClient) {}

  @ApiRoute(r.communityCreate)
  create(
    @CurrentPrincipal() me: Principal,
    @Input() input: RouteInput<typeof r.communityCreate>,
  ): Promise<CommunityView> {
    return this.rpc.call(communityRpc.communityCreate, input.body, as(me));
  }

  @ApiRoute(r.communityList)
  list(
    @CurrentPrincipal() me: Principal,
    @Input() input: RouteInput<typeof r.communityList>,
  ): Promise<RpcResponse<typeof communityRpc.communityList>> {
    return this.rpc.call(communityRpc.communityList, input.query, as(me));
  }

  @ApiRoute(r.communityNational)
  national(
    @CurrentPrincipal() me: Principal,
    @Input() input: RouteInput<typeof r.communityNational>,
  ): Promise<CommunityView> {
    return this.rpc.call(communityRpc.communityNational, { country: input.params.country }, as(me));
  }

  @ApiRoute(r.communityGet)
  get(
    @CurrentPrincipal() me: Principal,
    @Input() input: RouteInput<typeof r.communityGet>,
  ): Promise<CommunityView> {
    return this.rpc.call(communityRpc.communityGet, { id: input.params.id }, as(me));
  }

  @ApiRoute(r.communityUpdate)
  update(
    @CurrentPrincipal() me: Principal,
    @Input() input: RouteInput<typeof r.communityUpdate>,
  ): Promise<CommunityView> {
    return this.rpc.call(
      communityRpc.communityUpdate,
      { id: input.params.id, patch: input.body },
      as(me),
    );
  }

  @ApiRoute(r.communityMembers)
  members(
    @CurrentPrincipal() me: Principal,
    @Input() input: RouteInput<typeof r.communityMembers>,
  ): Promise<RpcResponse<typeof communityRpc.communityMembers>> {
    return this.rpc.call(
      communityRpc.communityMembers,
      { id: input.params.id, ...input.query },
      as(me),
    );
  }

  @ApiRoute(r.communityJoin)
  join(
    @CurrentPrincipal() me: Principal,
    @Input() input: RouteInput<typeof r.communityJoin>,
  ): Promise<RpcResponse<typeof communityRpc.communityJoin>> {
    return this.rpc.call(communityRpc.communityJoin, { id: input.params.id }, as(me));
  }

  @ApiRoute(r.communityLeave)
  async leave(
    @CurrentPrincipal() me: Principal,
    @Input() input: RouteInput<typeof r.communityLeave>,
  ): Promise<void> {
    await this.rpc.call(communityRpc.communityLeave, { id: input.params.id }, as(me));
  }

  @ApiRoute(r.spaceGet)
  space(
    @CurrentPrincipal() me: Principal,
    @Input() input: RouteInput<typeof r.spaceGet>,
  ): Promise<SpaceSummary> {
    return this.rpc.call(communityRpc.spaceGet, { id: input.params.id }, as(me));
  }
}
