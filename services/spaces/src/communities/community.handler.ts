import { Controller } from '@nestjs/common';
import { Rpc, type VerifiedActor } from '@agora/platform';
import { communityRpc, type RpcPayload } from '@agora/proto';
import { CommunityService } from './community.service.js';
import { SpaceSummaryService } from './space-summary.service.js';

@Controller()
export class CommunityHandler {
  constructor(
    private readonly communities: CommunityService,
    private readonly summaries: SpaceSummaryService,
  ) {}

  @Rpc(communityRpc.communityCreate)
  create(req: RpcPayload<typeof communityRpc.communityCreate>, actor: VerifiedActor) {
    return this.communities.create(actor, req);
  }

  @Rpc(communityRpc.communityUpdate)
  update(req: RpcPayload<typeof communityRpc.communityUpdate>, actor: VerifiedActor) {
    return this.communities.update(actor, req.id, req.patch);
  }

  @Rpc(communityRpc.communityGet)
  get(req: RpcPayload<typeof communityRpc.communityGet>, actor: VerifiedActor) {
    return this.communities.get(actor, req.id);
  }

  @Rpc(communityRpc.communityNational)
  national(req: RpcPayload<typeof communityRpc.communityNational>, actor: VerifiedActor) {
    return this.communities.national(actor, req.country);
  }

  @Rpc(communityRpc.communityList)
  list(req: RpcPayload<typeof communityRpc.communityList>, actor: VerifiedActor) {
    return this.communities.list(actor, req);
  }

  @Rpc(communityRpc.communityMembers)
  members(req: RpcPayload<typeof communityRpc.communityMembers>, actor: VerifiedActor) {
    return this.communities.members(actor, req.id, req.offset, req.limit);
  }

  @Rpc(communityRpc.communityJoin)
  join(req: RpcPayload<typeof communityRpc.communityJoin>, actor: VerifiedActor) {
    return this.communities.join(actor, req.id);
  }

  @Rpc(communityRpc.communityLeave)
  leave(req: RpcPayload<typeof communityRpc.communityLeave>, actor: VerifiedActor) {
    return this.communities.leave(actor, req.id);
  }

  @Rpc(communityRpc.spaceGet)
  space(req: RpcPayload<typeof communityRpc.spaceGet>, actor: VerifiedActor) {
    return this.summaries.get(actor, req.id);
  }
}
