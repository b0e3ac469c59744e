import { Controller, Inject } from '@nestjs/common';
import { RpcClient } from '@agora/platform';
import {
  sessionRoutes,
  sessionRpc,
  type ProposalFeedbackView,
  type RpcResponse,
} from '@agora/proto';
import { ApiRoute } from '../http/api-route.decorator.js';
import { CurrentPrincipal, type Principal } from '../http/principal.js';
import { Input, type RouteInput } from '../http/route-input.js';

const r = sessionRoutes;

/** Session feedback attached to a proposal; spaces checks the team. */
@Controller()
export class ProposalFeedbackController {
  constructor(@Inject(RpcClient) private readonly rpc: RpcClient) {}

  @ApiRoute(r.feedbackList)
  list(
    @CurrentPrincipal() me: Principal,
    @Input() input: RouteInput<typeof r.feedbackList>,
  ): Promise<RpcResponse<typeof sessionRpc.feedbackList>> {
    return this.rpc.call(
      sessionRpc.feedbackList,
      { id: input.params.id },
      { actorToken: me.token },
    );
  }

  @ApiRoute(r.feedbackAccept)
  accept(
    @CurrentPrincipal() me: Principal,
    @Input() input: RouteInput<typeof r.feedbackAccept>,
  ): Promise<ProposalFeedbackView> {
    return this.rpc.call(
      sessionRpc.feedbackAccept,
      { ...input.body, id: input.params.id, cardId: input.params.cardId },
      { actorToken: me.token },
    );
  }

  @ApiRoute(r.feedbackDismiss)
  dismiss(
    @CurrentPrincipal() me: Principal,
    @Input() input: RouteInput<typeof r.feedbackDismiss>,
  ): Promise<ProposalFeedbackView> {
    return this.rpc.call(
      sessionRpc.feedbackDismiss,
      { ...input.body, id: input.params.id, cardId: input.params.cardId },
      { actorToken: me.token },
    );
  }
}
