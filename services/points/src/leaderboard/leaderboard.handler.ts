import { Controller } from '@nestjs/common';
import { Rpc, type VerifiedActor } from '@agora/platform';
import { pointsRpc, type RpcPayload, type RpcResponse } from '@agora/proto';
import { LeaderboardService } from './leaderboard.service.js';

@Controller()
export class LeaderboardHandler {
  constructor(private readonly boards: LeaderboardService) {}

  @Rpc(pointsRpc.leaderboardGet)
  board(
    req: RpcPayload<typeof pointsRpc.leaderboardGet>,
    actor: VerifiedActor,
  ): Promise<RpcResponse<typeof pointsRpc.leaderboardGet>> {
    return this.boards.board(actor, req);
  }
}
