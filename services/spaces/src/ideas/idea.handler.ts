import { Controller } from '@nestjs/common';
import { Rpc, type VerifiedActor } from '@agora/platform';
import { ideaRpc, type RpcPayload } from '@agora/proto';
import { IdeaService } from './idea.service.js';

const r = ideaRpc;

@Controller()
export class IdeaHandler {
  constructor(private readonly ideas: IdeaService) {}

  @Rpc(r.ideaList)
  list(req: RpcPayload<typeof r.ideaList>, actor: VerifiedActor) {
    return this.ideas.list(actor, req);
  }

  @Rpc(r.ideaGet)
  get(req: RpcPayload<typeof r.ideaGet>, actor: VerifiedActor) {
    return this.ideas.get(actor, req.id);
  }

  @Rpc(r.lessonsSet)
  setLessons(req: RpcPayload<typeof r.lessonsSet>, actor: VerifiedActor) {
    const { id, ...lessons } = req;
    return this.ideas.setLessons(actor, id, lessons);
  }

  @Rpc(r.statusSet)
  setStatus(req: RpcPayload<typeof r.statusSet>, actor: VerifiedActor) {
    return this.ideas.setStatus(actor, req.id, req.status);
  }

  @Rpc(r.supportSet)
  setSupport(req: RpcPayload<typeof r.supportSet>, actor: VerifiedActor) {
    return this.ideas.setSupport(actor, req.id, req.supported);
  }
}
