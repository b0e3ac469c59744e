import { Controller, Inject } from '@nestjs/common';
import { Rpc } from '@agora/platform';
import { collabRpc, type DocOutline, type RpcPayload } from '@agora/proto';
import { OutlineService } from './outline.service.js';

@Controller()
export class OutlineHandler {
  constructor(@Inject(OutlineService) private readonly outlines: OutlineService) {}

  @Rpc(collabRpc.outline)
  outline(req: RpcPayload<typeof collabRpc.outline>): Promise<DocOutline> {
    return this.outlines.outline(req.docName);
  }
}
