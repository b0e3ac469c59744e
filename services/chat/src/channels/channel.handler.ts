import { Controller } from '@nestjs/common';
import { Rpc, type VerifiedActor } from '@agora/platform';
import { chatRpc, type RpcPayload } from '@agora/proto';
import { ChannelAccess } from './channel-access.service.js';
import { ChannelService } from './channel.service.js';

@Controller()
export class ChannelHandler {
  constructor(
    private readonly channels: ChannelService,
    private readonly access: ChannelAccess,
  ) {}

  @Rpc(chatRpc.channelAccess)
  async channelAccess(req: RpcPayload<typeof chatRpc.channelAccess>) {
    return { allowed: await this.access.allowed(req.memberId, req.channelId) };
  }

  @Rpc(chatRpc.dmOpen)
  dmOpen(req: RpcPayload<typeof chatRpc.dmOpen>, actor: VerifiedActor) {
    return this.channels.openDirect(actor, req.memberIds);
  }

  @Rpc(chatRpc.channelList)
  async channelList(_req: RpcPayload<typeof chatRpc.channelList>, actor: VerifiedActor) {
    return { channels: await this.channels.list(actor) };
  }

  @Rpc(chatRpc.channelGet)
  channelGet(req: RpcPayload<typeof chatRpc.channelGet>, actor: VerifiedActor) {
    return this.channels.get(actor, req.channelId);
  }

  @Rpc(chatRpc.channelLeave)
  channelLeave(req: RpcPayload<typeof chatRpc.channelLeave>, actor: VerifiedActor) {
    return this.channels.leave(actor, req.channelId);
  }

  @Rpc(chatRpc.readSet)
  readSet(req: RpcPayload<typeof chatRpc.readSet>, actor: VerifiedActor) {
    return this.channels.markRead(actor, req.channelId, req.seq);
  }

  @Rpc(chatRpc.memberMute)
  memberMute(req: RpcPayload<typeof chatRpc.memberMute>, actor: VerifiedActor) {
    return this.channels.mute(actor, req.channelId, req.memberId, req.minutes);
  }
}
