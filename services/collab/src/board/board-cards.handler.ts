import { Controller, Inject } from '@nestjs/common';
import { Rpc, RpcFailure } from '@agora/platform';
import { collabRpc, parseDocName, type RpcPayload } from '@agora/proto';
import { BoardCardsService } from './board-cards.service.js';

@Controller()
export class BoardCardsHandler {
  constructor(@Inject(BoardCardsService) private readonly boards: BoardCardsService) {}

  @Rpc(collabRpc.boardCards)
  cards(req: RpcPayload<typeof collabRpc.boardCards>) {
    if (parseDocName(req.docName).kind !== 'board')
      throw new RpcFailure('VALIDATION_FAILED', 'only a board (board:<id>) holds cards', [
        { path: ['docName'], code: 'custom', message: 'a board doc name expected' },
      ]);
    return this.boards.cards(req.docName);
  }
}
