import { Injectable } from '@nestjs/common';
import { OnEvent } from '@agora/platform';
import { consumers, workshopEvents, type EventOf } from '@agora/proto';
import { RosterSyncService } from './roster-sync.service.js';

/** The durable consumer `spaces-workshop-roster`: memberships follow each roster change. */
@Injectable()
export class RosterSyncHandler {
  constructor(private readonly sync: RosterSyncService) {}

  @OnEvent(consumers.spacesWorkshopRoster, workshopEvents.rosterChanged)
  async rosterChanged(event: EventOf<typeof workshopEvents.rosterChanged>): Promise<void> {
    for (const memberId of event.data.memberIds)
      await this.sync.sync(event.data.workshopId, memberId);
  }
}
