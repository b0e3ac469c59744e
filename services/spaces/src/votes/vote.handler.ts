import { Controller } from '@nestjs/common';
import { Rpc, type VerifiedActor } from '@agora/platform';
import { sessionRpc, type RpcPayload } from '@agora/proto';
import { VoteService } from './vote.service.js';

const r = sessionRpc;

@Controller()
export class VoteHandler {
  constructor(private readonly votes: VoteService) {}

  @Rpc(r.voteCast)
  cast(req: RpcPayload<typeof r.voteCast>, actor: VerifiedActor) {
    const { id, ...vote } = req;
    return this.votes.cast(actor, id, vote);
  }

  @Rpc(r.results)
  results(req: RpcPayload<typeof r.results>, actor: VerifiedActor) {
    return this.votes.results(actor, req.id);
  }

  @Rpc(r.turnout)
  turnout(req: RpcPayload<typeof r.turnout>, actor: VerifiedActor) {
    return this.votes.turnout(actor, req.id);
  }
}
