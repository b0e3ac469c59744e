import { Inject, Injectable } from '@nestjs/common';
import { OnEvent, PLATFORM_LOGGER, type ConsumerContext, type Logger } from '@agora/platform';
import { consumers, workshopEvents, type EventOf } from '@agora/proto';
import { guideSections } from '../communities/guide-skeleton.js';
import { isCommunity } from '../communities/community.service.js';
import { CollabRepository } from '../proposals/collab.repository.js';
import { SpaceRepository } from '../spaces/space.repository.js';
import { isWorkshop } from './workshop-context.js';

/**
 * The durable consumer `spaces-notes-seeder`: a published workshop's notes get its agenda as their
 * skeleton (one heading per step), a new community's guide its first sections. Collab seeds a doc
 * once; an outage throws, so the event comes back later. Later agenda edits do not rewrite notes
 * already taken: facilitators rename the headings in the notes themselves.
 */
@Injectable()
export class NotesSeederHandler {
  constructor(
    private readonly spaces: SpaceRepository,
    private readonly collab: CollabRepository,
    @Inject(PLATFORM_LOGGER) private readonly logger: Logger,
  ) {}

  @OnEvent(consumers.spacesNotesSeeder, workshopEvents.notesOpened)
  async notesOpened(
    event: EventOf<typeof workshopEvents.notesOpened>,
    ctx: ConsumerContext,
  ): Promise<void> {
    const doc = await this.spaces.findById(event.data.spaceId);
    const sections = isWorkshop(doc)
      ? doc.workshop.agenda.map((s) => ({ key: s.key, heading: s.title }))
      : isCommunity(doc)
        ? guideSections(doc.community.language)
        : null;
    if (!sections || sections.length === 0) return;
    const seeded = await this.collab.seed(event.data.docName, sections);
    this.logger.info(
      { spaceId: event.data.spaceId, seeded, delivery: ctx.deliveryCount, reqId: ctx.requestId },
      'notes seeded',
    );
  }
}
