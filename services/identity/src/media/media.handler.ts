import { Controller } from '@nestjs/common';
import { identityRpc, type RpcPayload } from '@agora/proto';
import { Rpc } from '@agora/platform';
import { MediaService } from './media.service.js';

@Controller()
export class MediaHandler {
  constructor(private readonly media: MediaService) {}

  @Rpc(identityRpc.meImageSet)
  meImageSet(req: RpcPayload<typeof identityRpc.meImageSet>) {
    return this.media.setImage(req.actorId, req.kind, req.uploadId);
  }

  @Rpc(identityRpc.mediaGet)
  mediaGet(req: RpcPayload<typeof identityRpc.mediaGet>) {
    return this.media.get(req.mediaId);
  }
}
