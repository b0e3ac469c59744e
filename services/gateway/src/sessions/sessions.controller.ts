import { Controller, Inject } from '@nestjs/common';
import { RpcClient } from '@agora/platform';
import { sessionRoutes, sessionRpc, type RpcResponse, type SessionView } from '@agora/proto';
import { ApiRoute } from '../http/api-route.decorator.js';
import { CurrentPrincipal, type Principal } from '../http/principal.js';
import { Input, type RouteInput } from '../http/route-input.js';

const r = sessionRoutes;
type Res<D> = Promise<RpcResponse<D>>;

/** Market Place sessions; every rule is spaces' (the gateway only relays). */
@Controller()
export class SessionsController {
  constructor(@Inject(RpcClient) private readonly rpc: RpcClient) {}

  @ApiRoute(r.sessionCreate)
  create(
    @CurrentPrincipal() me: Principal,
    @Input() input: RouteInput<typeof r.sessionCreate>,
  ): Promise<SessionView> {
    return this.rpc.call(sessionRpc.sessionCreate, input.body, { actorToken: me.token });
  }

  @ApiRoute(r.sessionList)
  list(
    @CurrentPrincipal() me: Principal,
    @Input() input: RouteInput<typeof r.sessionList>,
  ): Res<typeof sessionRpc.sessionList> {
    return this.rpc.call(sessionRpc.sessionList, input.query, { actorToken: me.token });
  }

  @ApiRoute(r.sessionGet)
  get(
    @CurrentPrincipal() me: Principal,
    @Input() input: RouteInput<typeof r.sessionGet>,
  ): Promise<SessionView> {
    return this.rpc.call(sessionRpc.sessionGet, { id: input.params.id }, { actorToken: me.token });
  }

  @ApiRoute(r.sessionUpdate)
  update(
    @CurrentPrincipal() me: Principal,
    @Input() input: RouteInput<typeof r.sessionUpdate>,
  ): Promise<SessionView> {
    return this.rpc.call(
      sessionRpc.sessionUpdate,
      { id: input.params.id, patch: input.body },
      { actorToken: me.token },
    );
  }

  @ApiRoute(r.pitchAdd)
  addPitch(
    @CurrentPrincipal() me: Principal,
    @Input() input: RouteInput<typeof r.pitchAdd>,
  ): Res<typeof sessionRpc.pitchAdd> {
    return this.rpc.call(
      sessionRpc.pitchAdd,
      { id: input.params.id, pitch: input.body },
      { actorToken: me.token },
    );
  }

  @ApiRoute(r.sessionJoin)
  join(
    @CurrentPrincipal() me: Principal,
    @Input() input: RouteInput<typeof r.sessionJoin>,
  ): Promise<SessionView> {
    return this.rpc.call(sessionRpc.sessionJoin, { id: input.params.id }, { actorToken: me.token });
  }

  @ApiRoute(r.phaseSet)
  setPhase(
    @CurrentPrincipal() me: Principal,
    @Input() input: RouteInput<typeof r.phaseSet>,
  ): Promise<SessionView> {
    return this.rpc.call(
      sessionRpc.phaseSet,
      { ...input.body, id: input.params.id },
      { actorToken: me.token },
    );
  }

  @ApiRoute(r.boardSet)
  setBoard(
    @CurrentPrincipal() me: Principal,
    @Input() input: RouteInput<typeof r.boardSet>,
  ): Promise<SessionView> {
    return this.rpc.call(
      sessionRpc.boardSet,
      { id: input.params.id, patch: input.body },
      { actorToken: me.token },
    );
  }

  @ApiRoute(r.summon)
  summon(
    @CurrentPrincipal() me: Principal,
    @Input() input: RouteInput<typeof r.summon>,
  ): Res<typeof sessionRpc.summon> {
    return this.rpc.call(
      sessionRpc.summon,
      { id: input.params.id, pitchIndex: input.body.pitchIndex },
      { actorToken: me.token },
    );
  }

  @ApiRoute(r.voteCast)
  vote(
    @CurrentPrincipal() me: Principal,
    @Input() input: RouteInput<typeof r.voteCast>,
  ): Res<typeof sessionRpc.voteCast> {
    return this.rpc.call(
      sessionRpc.voteCast,
      { ...input.body, id: input.params.id },
      { actorToken: me.token },
    );
  }

  @ApiRoute(r.results)
  results(
    @CurrentPrincipal() me: Principal,
    @Input() input: RouteInput<typeof r.results>,
  ): Res<typeof sessionRpc.results> {
    return this.rpc.call(sessionRpc.results, { id: input.params.id }, { actorToken: me.token });
  }

  @ApiRoute(r.turnout)
  turnout(
    @CurrentPrincipal() me: Principal,
    @Input() input: RouteInput<typeof r.turnout>,
  ): Res<typeof sessionRpc.turnout> {
    return this.rpc.call(sessionRpc.turnout, { id: input.params.id }, { actorToken: me.token });
  }

  @ApiRoute(r.cards)
  cards(
    @CurrentPrincipal() me: Principal,
    @Input() input: RouteInput<typeof r.cards>,
  ): Res<typeof sessionRpc.cards> {
    return this.rpc.call(sessionRpc.cards, { id: input.params.id }, { actorToken: me.token });
  }
}
