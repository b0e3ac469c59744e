import { Controller } from '@nestjs/common';
import { Rpc, type VerifiedActor } from '@agora/platform';
import { spacesRpc, type RpcPayload } from '@agora/proto';
import { ProposalService } from './proposal.service.js';

@Controller()
export class ProposalHandler {
  constructor(private readonly proposals: ProposalService) {}

  @Rpc(spacesRpc.proposalCreate)
  create(req: RpcPayload<typeof spacesRpc.proposalCreate>, actor: VerifiedActor) {
    return this.proposals.create(actor, req);
  }

  @Rpc(spacesRpc.proposalGet)
  get(req: RpcPayload<typeof spacesRpc.proposalGet>, actor: VerifiedActor) {
    return this.proposals.get(actor, req.id);
  }

  @Rpc(spacesRpc.proposalUpdate)
  update(req: RpcPayload<typeof spacesRpc.proposalUpdate>, actor: VerifiedActor) {
    return this.proposals.update(actor, req.id, req.patch);
  }

  @Rpc(spacesRpc.proposalList)
  list(req: RpcPayload<typeof spacesRpc.proposalList>, actor: VerifiedActor) {
    return this.proposals.list(actor, req);
  }

  @Rpc(spacesRpc.proposalSubmit)
  submit(req: RpcPayload<typeof spacesRpc.proposalSubmit>, actor: VerifiedActor) {
    return this.proposals.submit(actor, req.id);
  }

  @Rpc(spacesRpc.proposalWithdraw)
  withdraw(req: RpcPayload<typeof spacesRpc.proposalWithdraw>, actor: VerifiedActor) {
    return this.proposals.withdraw(actor, req.id);
  }

  @Rpc(spacesRpc.proposalReopen)
  reopen(req: RpcPayload<typeof spacesRpc.proposalReopen>, actor: VerifiedActor) {
    return this.proposals.reopen(actor, req.id);
  }

  @Rpc(spacesRpc.reviewerAssign)
  assignReviewer(req: RpcPayload<typeof spacesRpc.reviewerAssign>, actor: VerifiedActor) {
    return this.proposals.assignReviewer(actor, req.id, req.memberId);
  }

  @Rpc(spacesRpc.proposalDecide)
  decide(req: RpcPayload<typeof spacesRpc.proposalDecide>, actor: VerifiedActor) {
    return this.proposals.decide(actor, req.id, { outcome: req.outcome, note: req.note });
  }
}
