import { Controller, Inject } from '@nestjs/common';
import { Rpc } from '@agora/platform';
import { collabRpc, type RpcPayload, type RpcResponse } from '@agora/proto';
import { SeedService } from './seed.service.js';

@Controller()
export class SeedHandler {
  constructor(@Inject(SeedService) private readonly seeds: SeedService) {}

  @Rpc(collabRpc.seed)
  seed(req: RpcPayload<typeof collabRpc.seed>): Promise<RpcResponse<typeof collabRpc.seed>> {
    return this.seeds.seed(req.docName, req.sections);
  }
}
