import { Controller, Inject } from '@nestjs/common';
import { RpcClient } from '@agora/platform';
import { chatRoutes, spacesRpc, type PresenceList } from '@agora/proto';
import { ApiError } from '../http/api-error.js';
import { ApiRoute } from '../http/api-route.decorator.js';
import { CurrentPrincipal, type Principal } from '../http/principal.js';
import { Input, type RouteInput } from '../http/route-input.js';
import { Presence } from './presence.service.js';

const r = chatRoutes;

/** Who is online in a space: to those spaces lets follow it (its room), from the replicas' picture. */
@Controller()
export class PresenceController {
  constructor(
    @Inject(RpcClient) private readonly rpc: RpcClient,
    @Inject(Presence) private readonly presence: Presence,
  ) {}

  @ApiRoute(r.presence)
  async list(
    @CurrentPrincipal() me: Principal,
    @Input() input: RouteInput<typeof r.presence>,
  ): Promise<PresenceList> {
    const { spaceId } = input.query;
    const access = await this.rpc.call(spacesRpc.roomAccess, { memberId: me.memberId, spaceId });
    if (!access.allowed) throw new ApiError('FORBIDDEN', 'not a member of this space');
    return { spaceId, memberIds: this.presence.online(spaceId) };
  }
}
