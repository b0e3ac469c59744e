import {
  Inject,
  Injectable,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { Clock, PLATFORM_LOGGER, type Logger } from '@agora/platform';
import { ChannelRepository } from '../channels/channel.repository.js';
import { CHAT_CONFIG, type ChatConfig } from '../common/chat-config.js';
import { MessageRepository } from './message.repository.js';
import { SeqPlaceholders } from './seq-placeholders.service.js';

/** Channels looked at per round. */
const BATCH = 100;

/**
 * Fills the seqs of senders that died between reserving a seq (the channel's `$inc`) and writing
 * its message, so a channel's sequence never keeps a gap.
 *
 * A gap at seq s is stale — its sender is gone — when a message after s was written at least
 * `CHAT_SEQ_REPAIR_AFTER_MS` ago (s was reserved before that one), or when every reservation the
 * channel still holds is that old (s is one of them). A sender slower than that finds its seq
 * taken by the placeholder (the unique `(channelId, seq)` index) and reserves another. Reservations
 * are dropped only once no gap is left below the last seq read, so none is forgotten.
 */
@Injectable()
export class SeqRepair implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly channels: ChannelRepository,
    private readonly messages: MessageRepository,
    private readonly placeholders: SeqPlaceholders,
    private readonly clock: Clock,
    @Inject(CHAT_CONFIG) private readonly config: ChatConfig,
    @Inject(PLATFORM_LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    const every = Math.max(100, Math.floor(this.config.CHAT_SEQ_REPAIR_AFTER_MS / 2));
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = this.runOnce()
        .then(() => undefined)
        .catch((err: unknown) => this.logger.warn({ err }, 'seq repair round failed'))
        .finally(() => (this.running = undefined));
    }, every);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** One round over channels holding old reservations; answers how many placeholders it wrote. */
  async runOnce(): Promise<number> {
    const staleBefore = new Date(this.clock.now().getTime() - this.config.CHAT_SEQ_REPAIR_AFTER_MS);
    let filled = 0;
    for (const channelId of await this.channels.withStaleReservations(staleBefore, BATCH))
      filled += await this.repair(channelId, staleBefore);
    return filled;
  }

  private async repair(channelId: string, staleBefore: Date): Promise<number> {
    const state = await this.channels.reservations(channelId);
    if (!state) return 0;
    const present = await this.messages.seqsBetween(channelId, state.filledThrough, state.lastSeq);
    const allOld = state.pending.every((p) => p.at < staleBefore);
    let filled = 0;
    let gapsLeft = 0;
    // Walk from the top: `olderAfter` = a message above the current seq was written before staleBefore.
    const bySeq = new Map(present.map((m) => [m.seq, m.createdAt]));
    let olderAfter = false;
    for (let seq = state.lastSeq; seq > state.filledThrough; seq -= 1) {
      const createdAt = bySeq.get(seq);
      if (createdAt) {
        if (createdAt < staleBefore) olderAfter = true;
        continue;
      }
      if (olderAfter || allOld) {
        if (await this.placeholders.fill(channelId, seq)) filled += 1;
        this.logger.warn(
          { channelId, seq },
          'seq left by a sender that stopped: placeholder written',
        );
      } else gapsLeft += 1;
    }
    const stale = state.pending.filter((p) => p.at < staleBefore).map((p) => p.rid);
    if (gapsLeft === 0) await this.channels.settleReservations(channelId, stale, state.lastSeq);
    return filled;
  }
}
