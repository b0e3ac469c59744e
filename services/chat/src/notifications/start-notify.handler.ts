import { Inject, Injectable } from '@nestjs/common';
import { OnEvent } from '@agora/platform';
import { consumers, sessionEvents, workshopEvents, type EventOf } from '@agora/proto';
import { CHAT_CONFIG, type ChatConfig } from '../common/chat-config.js';
import { IdentityMailRepository } from './identity-mail.repository.js';
import { NotifierService, target } from './notifier.service.js';
import { ReminderRepository } from './reminder.repository.js';

/**
 * Workshops and sessions: their start times (reminded by the ReminderScheduler) and a place won on
 * a workshop's waiting list.
 */
@Injectable()
export class StartNotifyHandler {
  constructor(
    private readonly reminders: ReminderRepository,
    private readonly notifier: NotifierService,
    private readonly mail: IdentityMailRepository,
    @Inject(CHAT_CONFIG) private readonly config: ChatConfig,
  ) {}

  private schedule(
    spaceId: string,
    kind: 'session' | 'workshop',
    startsAtIso: string,
    occurredAt: string,
  ): Promise<void> {
    const startsAt = new Date(startsAtIso);
    const remindAt = new Date(startsAt.getTime() - this.config.CHAT_REMINDER_LEAD_MS);
    return this.reminders.schedule(spaceId, kind, startsAt, remindAt, new Date(occurredAt));
  }

  @OnEvent(consumers.chatNotifyWorkshopStarts, workshopEvents.workshopScheduled)
  async workshopScheduled(event: EventOf<typeof workshopEvents.workshopScheduled>): Promise<void> {
    const { workshopId, startsAt } = event.data;
    await this.schedule(workshopId, 'workshop', startsAt, event.occurredAt);
  }

  @OnEvent(consumers.chatNotifySessionStarts, sessionEvents.sessionScheduled)
  async sessionScheduled(event: EventOf<typeof sessionEvents.sessionScheduled>): Promise<void> {
    const { sessionId, startsAt } = event.data;
    await this.schedule(sessionId, 'session', startsAt, event.occurredAt);
  }

  @OnEvent(consumers.chatNotifyPromotions, workshopEvents.registrationPromoted)
  async promoted(event: EventOf<typeof workshopEvents.registrationPromoted>): Promise<void> {
    const { workshopId, memberId } = event.data;
    await this.notifier.notify([memberId], {
      type: 'waitlist-promoted',
      key: `waitlist-promoted:${workshopId}`,
      target: target({ spaceId: workshopId }),
      actorId: null,
      sourceId: event.id,
    });
    // A place won matters even to those who never open the bell: a mail too (identity sends it
    // once per event, so a redelivery sends nothing more; a failure redelivers).
    await this.mail.sendPromotion(memberId, workshopId, event.id);
  }
}
