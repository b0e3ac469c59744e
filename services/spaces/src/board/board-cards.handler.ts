import { Inject, Injectable } from '@nestjs/common';
import { collabEvents, consumers, type EventOf } from '@agora/proto';
import { OnEvent, PLATFORM_LOGGER, type ConsumerContext, type Logger } from '@agora/platform';
import { BoardCardsService } from './board-cards.service.js';

/**
 * The durable consumer `spaces-board-cards`: each `collab.doc.changed` of a board has its new
 * cards judged. Collab unavailable throws, so the event comes back later; other docs are acked.
 */
@Injectable()
export class BoardCardsHandler {
  constructor(
    private readonly board: BoardCardsService,
    @Inject(PLATFORM_LOGGER) private readonly logger: Logger,
  ) {}

  @OnEvent(consumers.spacesBoardCards, collabEvents.docChanged)
  async docChanged(
    event: EventOf<typeof collabEvents.docChanged>,
    ctx: ConsumerContext,
  ): Promise<void> {
    const outcome = await this.board.docChanged(event.data.docName, event.data.memberIds);
    if (outcome)
      this.logger.info(
        { docName: event.data.docName, ...outcome, delivery: ctx.deliveryCount },
        'board cards judged',
      );
  }
}
