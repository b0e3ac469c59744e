import { Inject, Injectable } from '@nestjs/common';
import { consumers, sessionEvents, type EventOf } from '@agora/proto';
import { OnEvent, PLATFORM_LOGGER, type ConsumerContext, type Logger } from '@agora/platform';
import { IdeaService } from './idea.service.js';

/** The durable consumer `spaces-ideas`: every pitch becomes an idea of the library, once. */
@Injectable()
export class PitchIdeasHandler {
  constructor(
    private readonly ideas: IdeaService,
    @Inject(PLATFORM_LOGGER) private readonly logger: Logger,
  ) {}

  @OnEvent(consumers.spacesIdeas, sessionEvents.pitchAdded)
  async pitchAdded(
    event: EventOf<typeof sessionEvents.pitchAdded>,
    ctx: ConsumerContext,
  ): Promise<void> {
    const { sessionId, pitchIndex, ideaId } = event.data;
    const outcome = await this.ideas.createFromPitch(sessionId, pitchIndex, ideaId);
    this.logger.info(
      { sessionId, pitchIndex, ideaId, outcome, delivery: ctx.deliveryCount },
      'pitch recorded as an idea',
    );
  }
}
