import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { ConsumerRunner } from '@agora/platform';
import { allEvents, consumers, type ConsumerDef } from '@agora/proto';
import { AwardService } from '../ledger/award.service.js';

/** The durable consumers of the points service: one per source stream, each on the whole stream. */
export const pointsConsumers: readonly ConsumerDef[] = [
  consumers.pointsIdentity,
  consumers.pointsSpaces,
  consumers.pointsChat,
];

/**
 * Runs each consumer with a handler for every event proto declares in its stream: the rules say,
 * as data, which event types pay, so none is singled out here (an event no rule names is acked).
 * `@OnEvent` binds one method per event type, which would fix the list in code; hence the runner,
 * in batch mode: the events that arrived together are awarded together (see AwardService).
 */
@Injectable()
export class SourceEventsConsumer implements OnApplicationBootstrap {
  constructor(
    private readonly runner: ConsumerRunner,
    private readonly awards: AwardService,
  ) {}

  onApplicationBootstrap(): void {
    for (const consumer of pointsConsumers) {
      const defs = allEvents.filter((e) => e.stream === consumer.stream);
      this.runner.runBatch(consumer, defs, (batch) =>
        this.awards.handleBatch(batch.map((b) => b.event)),
      );
    }
  }
}
