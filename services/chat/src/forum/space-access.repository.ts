import { Inject, Injectable } from '@nestjs/common';
import { RpcClient } from '@agora/platform';
import { spacesRpc, type SpaceRole } from '@agora/proto';

/** Asks spaces (the one source of memberships) what a member is in a space; null: not in it. */
@Injectable()
export class SpaceAccessRepository {
  constructor(@Inject(RpcClient) private readonly rpc: RpcClient) {}

  async roleIn(memberId: string, spaceId: string): Promise<SpaceRole | null> {
    const answer = await this.rpc.call(spacesRpc.roomAccess, { memberId, spaceId });
    return answer.allowed ? answer.role : null;
  }
}
