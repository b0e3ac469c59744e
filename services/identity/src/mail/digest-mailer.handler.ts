import { Controller } from '@nestjs/common';
import { Rpc } from '@agora/platform';
import { identityDigestRpc, type RpcPayload } from '@agora/proto';
import { DigestMailerService } from './digest-mailer.service.js';
import { PromotionMailerService } from './promotion-mailer.service.js';

/**
 * `identity.mail.digest.send` and `identity.mail.promotion.send`: what chat's notifications mail,
 * written and sent by identity (addresses and languages stay here).
 */
@Controller()
export class DigestMailerHandler {
  constructor(
    private readonly digests: DigestMailerService,
    private readonly promotions: PromotionMailerService,
  ) {}

  @Rpc(identityDigestRpc.digestSend)
  async send(req: RpcPayload<typeof identityDigestRpc.digestSend>) {
    return { outcome: await this.digests.send(req.memberId, req.day, req.counts) };
  }

  @Rpc(identityDigestRpc.promotionSend)
  async promotion(req: RpcPayload<typeof identityDigestRpc.promotionSend>) {
    return { outcome: await this.promotions.send(req.memberId, req.workshopId, req.sourceId) };
  }
}
