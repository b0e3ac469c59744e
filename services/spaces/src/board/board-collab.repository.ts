import { Inject, Injectable } from '@nestjs/common';
import { RpcClient } from '@agora/platform';
import { collabRpc, type RpcResponse } from '@agora/proto';

/** Collab over NATS: a board's cards as its durable state holds them. */
@Injectable()
export class BoardCollabRepository {
  constructor(@Inject(RpcClient) private readonly rpc: RpcClient) {}

  cards(docName: string): Promise<RpcResponse<typeof collabRpc.boardCards>> {
    return this.rpc.call(collabRpc.boardCards, { docName }, { timeoutMs: 10_000 });
  }
}
