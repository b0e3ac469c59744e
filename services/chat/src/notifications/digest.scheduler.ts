import {
  Inject,
  Injectable,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { Clock, PLATFORM_LOGGER, type Logger } from '@agora/platform';
import type { DigestCounts } from '@agora/proto';
import { CHAT_CONFIG, type ChatConfig } from '../common/chat-config.js';
import { DigestRepository } from './digest.repository.js';
import { IdentityMailRepository } from './identity-mail.repository.js';
import { NotificationRepository } from './notification.repository.js';
import { PreferencesRepository } from './preferences.repository.js';

const DAY_MS = 86_400_000;

/** The UTC calendar day of `at`, `YYYY-MM-DD`. */
export const utcDay = (at: Date): string => at.toISOString().slice(0, 10);

export type DigestOutcome = 'sent' | 'empty' | 'already' | 'too-early' | 'skipped';

/**
 * The opt-in daily digest: from `CHAT_DIGEST_HOUR_UTC` on, each member who opted in gets one mail
 * (through identity, in their language) telling how many unread notifications of each type came
 * since their previous digest (at most a day back). Never empty: nothing new, no mail. Never twice a
 * day: a claim with a unique (member, day) key comes before the mail, and identity keys the mail
 * the same way. Every replica may sweep.
 */
@Injectable()
export class DigestScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly digests: DigestRepository,
    private readonly notifications: NotificationRepository,
    private readonly preferences: PreferencesRepository,
    private readonly mail: IdentityMailRepository,
    private readonly clock: Clock,
    @Inject(CHAT_CONFIG) private readonly config: ChatConfig,
    @Inject(PLATFORM_LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = this.sweep()
        .then(() => undefined)
        .catch((err: unknown) => this.logger.warn({ err }, 'digest sweep failed'))
        .finally(() => {
          this.running = undefined;
        });
    }, this.config.CHAT_DIGEST_INTERVAL_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  async sweep(): Promise<Map<string, DigestOutcome>> {
    const outcomes = new Map<string, DigestOutcome>();
    for (const memberId of await this.preferences.digestMembers())
      outcomes.set(memberId, await this.digestOf(memberId));
    return outcomes;
  }

  async digestOf(memberId: string): Promise<DigestOutcome> {
    const now = this.clock.now();
    if (now.getUTCHours() < this.config.CHAT_DIGEST_HOUR_UTC) return 'too-early';
    const day = utcDay(now);
    if (await this.digests.find(memberId, day)) return 'already';
    const last = await this.digests.lastSent(memberId);
    const dayAgo = new Date(now.getTime() - DAY_MS);
    const since = last?.sentAt && last.sentAt > dayAgo ? last.sentAt : dayAgo;
    const byType = await this.notifications.unreadByTypeSince(memberId, since);
    if (byType.size === 0) return 'empty';
    const counts = Object.fromEntries(byType) as DigestCounts;
    const total = [...byType.values()].reduce((a, b) => a + b, 0);
    if (!(await this.digests.claim(memberId, day, total, now))) return 'already';
    try {
      const { outcome } = await this.mail.sendDigest(memberId, day, counts);
      if (outcome === 'skipped') {
        await this.digests.markSent(memberId, day, now);
        return 'skipped';
      }
    } catch (err) {
      // Identity did not answer: give the day back so the next sweep tries (identity's own key
      // still keeps it to one mail).
      await this.digests.release(memberId, day);
      throw err;
    }
    await this.digests.markSent(memberId, day, this.clock.now());
    return 'sent';
  }
}
