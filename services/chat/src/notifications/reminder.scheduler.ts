import {
  Inject,
  Injectable,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { Clock, PLATFORM_LOGGER, type Logger } from '@agora/platform';
import type { SpaceRole } from '@agora/proto';
import { CHAT_CONFIG, type ChatConfig } from '../common/chat-config.js';
import { NotifierService, target } from './notifier.service.js';
import { ReminderRepository } from './reminder.repository.js';
import type { ReminderDoc } from './reminder.schema.js';
import { SpaceMemberRepository } from './space-member.repository.js';

const BATCH = 50;
/** A workshop's waiting list is not coming (the others are). */
const workshopAttendees: readonly SpaceRole[] = ['facilitator', 'participant'];

/**
 * Reminds the members of a session or workshop that it starts soon, once per start time: members
 * are notified first (idempotently, the source id names the space and the start), then the reminder
 * is marked; a crash between them re-notifies nobody twice. Every replica may sweep.
 */
@Injectable()
export class ReminderScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly reminders: ReminderRepository,
    private readonly members: SpaceMemberRepository,
    private readonly notifier: NotifierService,
    private readonly clock: Clock,
    @Inject(CHAT_CONFIG) private readonly config: ChatConfig,
    @Inject(PLATFORM_LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = this.sweep()
        .then(() => undefined)
        .catch((err: unknown) => this.logger.warn({ err }, 'reminder sweep failed'))
        .finally(() => {
          this.running = undefined;
        });
    }, this.config.CHAT_REMINDER_INTERVAL_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** Sends the reminders due now; how many members were notified. */
  async sweep(): Promise<number> {
    let notified = 0;
    for (const r of await this.reminders.due(this.clock.now(), BATCH)) {
      notified += await this.remind(r);
      await this.reminders.markReminded(r._id, r.startsAt);
    }
    return notified;
  }

  private async remind(r: ReminderDoc): Promise<number> {
    const spaceId = r.spaceId.toHexString();
    const startsAt = r.startsAt.toISOString();
    const members = await this.members.membersOf(
      spaceId,
      r.kind === 'workshop' ? workshopAttendees : undefined,
    );
    return this.notifier.notify(members, {
      type: 'starting-soon',
      key: `starting-soon:${spaceId}`,
      target: target({ spaceId, startsAt }),
      actorId: null,
      sourceId: `starting-soon:${spaceId}:${startsAt}`,
    });
  }
}
