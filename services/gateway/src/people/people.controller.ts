import { Controller, Inject } from '@nestjs/common';
import { RpcClient } from '@agora/platform';
import { peopleRoutes, peopleRpc, type PeoplePage, type Person } from '@agora/proto';
import { ApiRoute } from '../http/api-route.decorator.js';
import { CurrentPrincipal, type Principal } from '../http/principal.js';
import { Input, type RouteInput } from '../http/route-input.js';

const r = peopleRoutes;

/** The member directory and profile pages: members only; identity applies each member's choices. */
@Controller()
export class PeopleController {
  constructor(@Inject(RpcClient) private readonly rpc: RpcClient) {}

  @ApiRoute(r.peopleSearch)
  search(
    @CurrentPrincipal() me: Principal,
    @Input() input: RouteInput<typeof r.peopleSearch>,
  ): Promise<PeoplePage> {
    const { offset, limit, ...filter } = input.query;
    return this.rpc.call(
      peopleRpc.peopleSearch,
      { filter, page: { offset, limit } },
      { actorToken: me.token },
    );
  }

  @ApiRoute(r.personGet)
  get(
    @CurrentPrincipal() me: Principal,
    @Input() input: RouteInput<typeof r.personGet>,
  ): Promise<Person> {
    return this.rpc.call(
      peopleRpc.personGet,
      { memberId: input.params.id },
      { actorToken: me.token },
    );
  }
}
