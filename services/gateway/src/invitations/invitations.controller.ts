import { Controller, Inject } from '@nestjs/common';
import { RpcClient } from '@agora/platform';
import { identityRoutes, identityRpc, type Invitation } from '@agora/proto';
import { ApiRoute } from '../http/api-route.decorator.js';
import { CurrentPrincipal, type Principal } from '../http/principal.js';
import { Input, type RouteInput } from '../http/route-input.js';

const r = identityRoutes;

/** Invitations by email; the lookup is public so the register page can show who invited. */
@Controller()
export class InvitationsController {
  constructor(@Inject(RpcClient) private readonly rpc: RpcClient) {}

  @ApiRoute(r.invitationCreate)
  create(
    @CurrentPrincipal() me: Principal,
    @Input() input: RouteInput<typeof r.invitationCreate>,
  ): Promise<Invitation> {
    return this.rpc.call(identityRpc.invitationCreate, input.body, { actorToken: me.token });
  }

  @ApiRoute(r.invitationList)
  list(@CurrentPrincipal() me: Principal): Promise<Invitation[]> {
    return this.rpc.call(identityRpc.invitationList, {}, { actorToken: me.token });
  }

  @ApiRoute(r.invitationLookup)
  lookup(
    @Input() input: RouteInput<typeof r.invitationLookup>,
  ): Promise<{ inviterName: string; email: string; message: string }> {
    return this.rpc.call(identityRpc.invitationLookup, { token: input.params.token });
  }
}
