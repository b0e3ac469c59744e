import { Inject, Injectable } from '@nestjs/common';
import { RpcClient } from '@agora/platform';
import { identityDigestRpc, type DigestCounts, type RpcResponse } from '@agora/proto';

/** Identity's mailer: chat never holds an address, it says whom and how many. */
@Injectable()
export class IdentityMailRepository {
  constructor(@Inject(RpcClient) private readonly rpc: RpcClient) {}

  sendDigest(
    memberId: string,
    day: string,
    counts: DigestCounts,
  ): Promise<RpcResponse<typeof identityDigestRpc.digestSend>> {
    return this.rpc.call(
      identityDigestRpc.digestSend,
      { memberId, day, counts },
      { timeoutMs: 30_000 },
    );
  }

  /** A waiting list's promotion, mailed once per event (identity keys the mail by `sourceId`). */
  sendPromotion(
    memberId: string,
    workshopId: string,
    sourceId: string,
  ): Promise<RpcResponse<typeof identityDigestRpc.promotionSend>> {
    return this.rpc.call(
      identityDigestRpc.promotionSend,
      { memberId, workshopId, sourceId },
      { timeoutMs: 30_000 },
    );
  }
}
