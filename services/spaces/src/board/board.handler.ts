import { Controller } from '@nestjs/common';
import { Rpc, type VerifiedActor } from '@agora/platform';
import { sessionRpc, type RpcPayload } from '@agora/proto';
import { FeedbackService } from './feedback.service.js';

const r = sessionRpc;

@Controller()
export class BoardHandler {
  constructor(private readonly feedback: FeedbackService) {}

  @Rpc(r.cards)
  cards(req: RpcPayload<typeof r.cards>, actor: VerifiedActor) {
    return this.feedback.sessionCards(actor, req.id);
  }

  @Rpc(r.feedbackList)
  list(req: RpcPayload<typeof r.feedbackList>, actor: VerifiedActor) {
    return this.feedback.list(actor, req.id);
  }

  @Rpc(r.feedbackAccept)
  accept(req: RpcPayload<typeof r.feedbackAccept>, actor: VerifiedActor) {
    return this.feedback.accept(actor, req.id, req.cardId, req.suggestionId, req.reason);
  }

  @Rpc(r.feedbackDismiss)
  dismiss(req: RpcPayload<typeof r.feedbackDismiss>, actor: VerifiedActor) {
    return this.feedback.dismiss(actor, req.id, req.cardId, req.reason);
  }
}
