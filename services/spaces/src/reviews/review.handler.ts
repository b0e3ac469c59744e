import { Controller } from '@nestjs/common';
import { Rpc, type VerifiedActor } from '@agora/platform';
import { spacesRpc, type RpcPayload } from '@agora/proto';
import { ReviewService } from './review.service.js';

@Controller()
export class ReviewHandler {
  constructor(private readonly reviews: ReviewService) {}

  @Rpc(spacesRpc.reviewSubmit)
  submit(req: RpcPayload<typeof spacesRpc.reviewSubmit>, actor: VerifiedActor) {
    return this.reviews.submit(actor, req.id, { scores: req.scores, comment: req.comment });
  }

  @Rpc(spacesRpc.reviewList)
  list(req: RpcPayload<typeof spacesRpc.reviewList>, actor: VerifiedActor) {
    return this.reviews.list(actor, req.id);
  }
}
