import { Inject, Injectable } from '@nestjs/common';
import { RpcClient } from '@agora/platform';
import { spacesRpc, type DocRight } from '@agora/proto';
import { COLLAB_CONFIG, type CollabConfig } from '../common/collab-config.js';

/** A member's right on a doc, as spaces answers it (the single source of truth for rights). */
@Injectable()
export class DocAccess {
  constructor(
    @Inject(RpcClient) private readonly rpc: RpcClient,
    @Inject(COLLAB_CONFIG) private readonly config: CollabConfig,
  ) {}

  /** Throws RpcCallError (UNAVAILABLE, …) when spaces cannot answer. */
  async rightOf(memberId: string, docName: string): Promise<DocRight> {
    const { right } = await this.rpc.call(
      spacesRpc.docAccess,
      { memberId, docName },
      { timeoutMs: this.config.COLLAB_ACCESS_TIMEOUT_MS },
    );
    return right;
  }
}
