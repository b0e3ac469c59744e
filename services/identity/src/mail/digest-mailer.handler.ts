import { Controller } from '@nestjs/common';
import { Rpc } from '@agora/platform';
import { identityDigestRpc, type RpcPayload } from '@agora/proto';
import { DigestMailerService } from './digest-mailer.service.js';

/** `identity.mail.digest.send`: chat's daily digest, mailed by identity (addresses stay here). */
@Controller()
export class DigestMailerHandler {
  constructor(private readonly digests: DigestMailerService) {}

  @Rpc(identityDigestRpc.digestSend)
  async send(req: RpcPayload<typeof identityDigestRpc.digestSend>) {
    return { outcome: await this.digests.send(req.memberId, req.day, req.counts) };
  }
}
