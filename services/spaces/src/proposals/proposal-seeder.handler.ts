import { Inject, Injectable } from '@nestjs/common';
import { consumers, spacesEvents, type EventOf } from '@agora/proto';
import { OnEvent, PLATFORM_LOGGER, type ConsumerContext, type Logger } from '@agora/platform';
import { ProposalService } from './proposal.service.js';

/**
 * The durable consumer `spaces-seeder`: writes each new proposal's skeleton through collab. A
 * collab outage throws, so the event comes back later (crash-safe: it sits in the stream).
 */
@Injectable()
export class ProposalSeederHandler {
  constructor(
    private readonly proposals: ProposalService,
    @Inject(PLATFORM_LOGGER) private readonly logger: Logger,
  ) {}

  @OnEvent(consumers.spacesSeeder, spacesEvents.proposalCreated)
  async proposalCreated(
    event: EventOf<typeof spacesEvents.proposalCreated>,
    ctx: ConsumerContext,
  ): Promise<void> {
    const outcome = await this.proposals.seed(event.data.proposalId);
    this.logger.info(
      {
        proposalId: event.data.proposalId,
        outcome,
        delivery: ctx.deliveryCount,
        reqId: ctx.requestId,
      },
      'proposal document seeded',
    );
  }
}
