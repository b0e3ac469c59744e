import { Controller, Inject } from '@nestjs/common';
import { RpcClient } from '@agora/platform';
import {
  accountRoutes,
  accountRpc,
  identityRoutes,
  identityRpc,
  type AdminMember,
  type PublicMember,
  type RpcResponse,
} from '@agora/proto';
import { ApiRoute } from '../http/api-route.decorator.js';
import { CurrentPrincipal, type Principal } from '../http/principal.js';
import { Input, type RouteInput } from '../http/route-input.js';

const r = identityRoutes;
const a = accountRoutes;

/** Admin routes: the route guard refuses non-admin tokens, and identity checks the role again. */
@Controller()
export class AdminController {
  constructor(@Inject(RpcClient) private readonly rpc: RpcClient) {}

  @ApiRoute(r.adminMembers)
  members(
    @CurrentPrincipal() me: Principal,
    @Input() input: RouteInput<typeof r.adminMembers>,
  ): Promise<RpcResponse<typeof identityRpc.memberList>> {
    const { offset, limit, ...filter } = input.query;
    return this.rpc.call(
      identityRpc.memberList,
      { page: { offset, limit }, filter },
      { actorToken: me.token },
    );
  }

  @ApiRoute(a.adminSuspend)
  suspend(
    @CurrentPrincipal() me: Principal,
    @Input() input: RouteInput<typeof a.adminSuspend>,
  ): Promise<AdminMember> {
    return this.rpc.call(
      accountRpc.memberSuspend,
      { memberId: input.params.id, reason: input.body.reason },
      { actorToken: me.token },
    );
  }

  @ApiRoute(a.adminReinstate)
  reinstate(
    @CurrentPrincipal() me: Principal,
    @Input() input: RouteInput<typeof a.adminReinstate>,
  ): Promise<AdminMember> {
    return this.rpc.call(
      accountRpc.memberReinstate,
      { memberId: input.params.id, reason: input.body.reason },
      { actorToken: me.token },
    );
  }

  @ApiRoute(r.adminRoleSet)
  setRole(
    @CurrentPrincipal() me: Principal,
    @Input() input: RouteInput<typeof r.adminRoleSet>,
  ): Promise<PublicMember> {
    return this.rpc.call(
      identityRpc.roleSet,
      { memberId: input.params.id, role: input.body.role },
      { actorToken: me.token },
    );
  }

  @ApiRoute(r.adminMailbox)
  mailbox(
    @CurrentPrincipal() me: Principal,
    @Input() input: RouteInput<typeof r.adminMailbox>,
  ): Promise<RpcResponse<typeof identityRpc.mailboxList>> {
    return this.rpc.call(identityRpc.mailboxList, { page: input.query }, { actorToken: me.token });
  }
}
