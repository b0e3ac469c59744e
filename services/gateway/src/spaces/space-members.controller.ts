import { Controller, Inject } from '@nestjs/common';
import { RpcClient } from '@agora/platform';
import { identityRpc, spacesRoutes, spacesRpc, type RpcResponse } from '@agora/proto';
import { ApiRoute } from '../http/api-route.decorator.js';
import { CurrentPrincipal, type Principal } from '../http/principal.js';
import { Input, type RouteInput } from '../http/route-input.js';

const r = spacesRoutes;
type SpaceMember =
  RpcResponse<typeof spacesRpc.memberAdd> | RpcResponse<typeof spacesRpc.memberInviteRecord>;

/** Members of any space; spaces checks who may manage them and keeps the last lead or owner. */
@Controller()
export class SpaceMembersController {
  constructor(@Inject(RpcClient) private readonly rpc: RpcClient) {}

  @ApiRoute(r.memberList)
  list(
    @CurrentPrincipal() me: Principal,
    @Input() input: RouteInput<typeof r.memberList>,
  ): Promise<RpcResponse<typeof spacesRpc.memberList>> {
    return this.rpc.call(spacesRpc.memberList, { id: input.params.id }, { actorToken: me.token });
  }

  /**
   * By member id: one call. By email: identity's invitations are a member call only the edge may
   * make, so the gateway asks spaces first (no mail for an invitation it would refuse), has identity
   * send the invitation, then has spaces keep the role until the invitee joins.
   */
  @ApiRoute(r.memberAdd)
  async add(
    @CurrentPrincipal() me: Principal,
    @Input() input: RouteInput<typeof r.memberAdd>,
  ): Promise<SpaceMember> {
    const actor = { actorToken: me.token };
    const id = input.params.id;
    const body = input.body;
    if ('memberId' in body)
      return this.rpc.call(
        spacesRpc.memberAdd,
        {
          id,
          memberId: body.memberId,
          role: body.role,
          ...(body.area ? { area: body.area } : {}),
        },
        actor,
      );
    await this.rpc.call(spacesRpc.memberInviteCheck, { id, role: body.role }, actor);
    const invitation = await this.rpc.call(
      identityRpc.invitationCreate,
      { email: body.email, message: body.message },
      actor,
    );
    return this.rpc.call(
      spacesRpc.memberInviteRecord,
      { id, role: body.role, invitationId: invitation.id },
      actor,
    );
  }

  @ApiRoute(r.memberUpdate)
  update(
    @CurrentPrincipal() me: Principal,
    @Input() input: RouteInput<typeof r.memberUpdate>,
  ): Promise<RpcResponse<typeof spacesRpc.memberUpdate>> {
    return this.rpc.call(
      spacesRpc.memberUpdate,
      { id: input.params.id, memberId: input.params.memberId, role: input.body.role },
      { actorToken: me.token },
    );
  }

  @ApiRoute(r.memberRemove)
  async remove(
    @CurrentPrincipal() me: Principal,
    @Input() input: RouteInput<typeof r.memberRemove>,
  ): Promise<void> {
    await this.rpc.call(
      spacesRpc.memberRemove,
      { id: input.params.id, memberId: input.params.memberId },
      { actorToken: me.token },
    );
  }
}
