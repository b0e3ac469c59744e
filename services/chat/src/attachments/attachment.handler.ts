import { Controller } from '@nestjs/common';
import { Rpc, type VerifiedActor } from '@agora/platform';
import { attachmentRpc, type RpcPayload } from '@agora/proto';
import { AttachmentService } from './attachment.service.js';

@Controller()
export class AttachmentHandler {
  constructor(private readonly attachments: AttachmentService) {}

  @Rpc(attachmentRpc.attachmentUpload)
  upload(req: RpcPayload<typeof attachmentRpc.attachmentUpload>, actor: VerifiedActor) {
    return this.attachments.upload(actor, req);
  }

  @Rpc(attachmentRpc.attachmentOpen)
  open(req: RpcPayload<typeof attachmentRpc.attachmentOpen>, actor: VerifiedActor) {
    return this.attachments.open(actor, req);
  }

  @Rpc(attachmentRpc.forumImageUpload)
  forumImageUpload(req: RpcPayload<typeof attachmentRpc.forumImageUpload>, actor: VerifiedActor) {
    return this.attachments.forumImageUpload(actor, req);
  }

  @Rpc(attachmentRpc.forumImageChunk)
  forumImageChunk(req: RpcPayload<typeof attachmentRpc.forumImageChunk>) {
    return this.attachments.forumImageChunk(req);
  }

  @Rpc(attachmentRpc.attachmentChunk)
  chunk(req: RpcPayload<typeof attachmentRpc.attachmentChunk>, actor: VerifiedActor) {
    return this.attachments.chunk(actor, req);
  }
}
