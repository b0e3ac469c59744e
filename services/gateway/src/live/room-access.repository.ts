import { Inject, Injectable } from '@nestjs/common';
import { RpcClient } from '@agora/platform';
import { chatRpc, spacesRpc, type RpcResponse } from '@agora/proto';

/** Asks the owning services over NATS whether a member may join a live room (the gateway keeps no data). */
@Injectable()
export class RoomAccessRepository {
  constructor(@Inject(RpcClient) private readonly rpc: RpcClient) {}

  space(memberId: string, spaceId: string): Promise<RpcResponse<typeof spacesRpc.roomAccess>> {
    return this.rpc.call(spacesRpc.roomAccess, { memberId, spaceId });
  }

  channel(memberId: string, channelId: string): Promise<RpcResponse<typeof chatRpc.channelAccess>> {
    return this.rpc.call(chatRpc.channelAccess, { memberId, channelId });
  }
}
