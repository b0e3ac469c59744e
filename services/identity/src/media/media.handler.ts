import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { identityRpc } from '@agora/proto';
import { ZodPayloadPipe } from '@agora/platform';
import type { IdentityRequest as Req, IdentityResponse as Res } from '../common/rpc-types.js';
import { MediaService } from './media.service.js';

@Controller()
export class MediaHandler {
  constructor(private readonly media: MediaService) {}

  @MessagePattern(identityRpc.meImageSet.subject)
  meImageSet(
    @Payload(new ZodPayloadPipe(identityRpc.meImageSet.request)) req: Req<'meImageSet'>,
  ): Promise<Res<'meImageSet'>> {
    return this.media.setImage(req.actorId, req.kind, req.uploadId);
  }

  @MessagePattern(identityRpc.mediaGet.subject)
  mediaGet(
    @Payload(new ZodPayloadPipe(identityRpc.mediaGet.request)) req: Req<'mediaGet'>,
  ): Promise<Res<'mediaGet'>> {
    return this.media.get(req.mediaId);
  }
}
