import { Controller } from '@nestjs/common';
import { identityRpc, type RpcPayload } from '@agora/proto';
import { Rpc, type VerifiedActor } from '@agora/platform';
import { MediaService } from './media.service.js';

@Controller()
export class MediaHandler {
  constructor(private readonly media: MediaService) {}

  @Rpc(identityRpc.meImageSet)
  meImageSet(req: RpcPayload<typeof identityRpc.meImageSet>, actor: VerifiedActor) {
    return this.media.setImage(actor.memberId, req.kind, req.uploadId);
  }

  @Rpc(identityRpc.mediaGet)
  mediaGet(req: RpcPayload<typeof identityRpc.mediaGet>) {
    return this.media.get(req.mediaId);
  }
}
