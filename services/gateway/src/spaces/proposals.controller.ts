import { Controller, Inject } from '@nestjs/common';
import { RpcClient } from '@agora/platform';
import {
  spacesRoutes,
  spacesRpc,
  type ProposalView,
  type ReviewView,
  type RpcResponse,
} from '@agora/proto';
import { ApiRoute } from '../http/api-route.decorator.js';
import { CurrentPrincipal, type Principal } from '../http/principal.js';
import { Input, type RouteInput } from '../http/route-input.js';

const r = spacesRoutes;

/** Proposals and their lifecycle; every rule is spaces' (the gateway only relays). */
@Controller()
export class ProposalsController {
  constructor(@Inject(RpcClient) private readonly rpc: RpcClient) {}

  @ApiRoute(r.proposalCreate)
  create(
    @CurrentPrincipal() me: Principal,
    @Input() input: RouteInput<typeof r.proposalCreate>,
  ): Promise<ProposalView> {
    return this.rpc.call(
      spacesRpc.proposalCreate,
      { ...input.body, callId: input.params.callId },
      { actorToken: me.token },
    );
  }

  @ApiRoute(r.proposalList)
  list(
    @CurrentPrincipal() me: Principal,
    @Input() input: RouteInput<typeof r.proposalList>,
  ): Promise<RpcResponse<typeof spacesRpc.proposalList>> {
    return this.rpc.call(spacesRpc.proposalList, input.query, { actorToken: me.token });
  }

  @ApiRoute(r.proposalGet)
  get(
    @CurrentPrincipal() me: Principal,
    @Input() input: RouteInput<typeof r.proposalGet>,
  ): Promise<ProposalView> {
    return this.rpc.call(spacesRpc.proposalGet, { id: input.params.id }, { actorToken: me.token });
  }

  @ApiRoute(r.proposalUpdate)
  update(
    @CurrentPrincipal() me: Principal,
    @Input() input: RouteInput<typeof r.proposalUpdate>,
  ): Promise<ProposalView> {
    return this.rpc.call(
      spacesRpc.proposalUpdate,
      { id: input.params.id, patch: input.body },
      { actorToken: me.token },
    );
  }

  @ApiRoute(r.proposalSubmit)
  submit(
    @CurrentPrincipal() me: Principal,
    @Input() input: RouteInput<typeof r.proposalSubmit>,
  ): Promise<ProposalView> {
    // Submission reads the document from collab and freezes a version: allow for both.
    return this.rpc.call(
      spacesRpc.proposalSubmit,
      { id: input.params.id },
      { actorToken: me.token, timeoutMs: 15_000 },
    );
  }

  @ApiRoute(r.proposalWithdraw)
  withdraw(
    @CurrentPrincipal() me: Principal,
    @Input() input: RouteInput<typeof r.proposalWithdraw>,
  ): Promise<ProposalView> {
    return this.rpc.call(
      spacesRpc.proposalWithdraw,
      { id: input.params.id },
      { actorToken: me.token },
    );
  }

  @ApiRoute(r.proposalReopen)
  reopen(
    @CurrentPrincipal() me: Principal,
    @Input() input: RouteInput<typeof r.proposalReopen>,
  ): Promise<ProposalView> {
    return this.rpc.call(
      spacesRpc.proposalReopen,
      { id: input.params.id },
      { actorToken: me.token },
    );
  }

  @ApiRoute(r.reviewerAssign)
  assignReviewer(
    @CurrentPrincipal() me: Principal,
    @Input() input: RouteInput<typeof r.reviewerAssign>,
  ): Promise<ProposalView> {
    return this.rpc.call(
      spacesRpc.reviewerAssign,
      { id: input.params.id, memberId: input.body.memberId },
      { actorToken: me.token },
    );
  }

  @ApiRoute(r.reviewSubmit)
  review(
    @CurrentPrincipal() me: Principal,
    @Input() input: RouteInput<typeof r.reviewSubmit>,
  ): Promise<ReviewView> {
    return this.rpc.call(
      spacesRpc.reviewSubmit,
      { ...input.body, id: input.params.id },
      { actorToken: me.token },
    );
  }

  @ApiRoute(r.reviewList)
  reviews(
    @CurrentPrincipal() me: Principal,
    @Input() input: RouteInput<typeof r.reviewList>,
  ): Promise<RpcResponse<typeof spacesRpc.reviewList>> {
    return this.rpc.call(spacesRpc.reviewList, { id: input.params.id }, { actorToken: me.token });
  }

  @ApiRoute(r.proposalDecide)
  decide(
    @CurrentPrincipal() me: Principal,
    @Input() input: RouteInput<typeof r.proposalDecide>,
  ): Promise<ProposalView> {
    return this.rpc.call(
      spacesRpc.proposalDecide,
      { ...input.body, id: input.params.id },
      { actorToken: me.token },
    );
  }
}
