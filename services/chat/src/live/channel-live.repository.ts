import { Inject, Injectable } from '@nestjs/common';
import { NatsService, PLATFORM_LOGGER, type Logger } from '@agora/platform';
import { chatLive, channelLiveSchema, type ChannelLive } from '@agora/proto';

/**
 * Publishes a channel's changes on core NATS for the gateways' rooms (`chatLive.channel`). Best
 * effort by design: the change is stored first, and a client that missed its live copy (a bus blip,
 * a reconnect) catches up with `?after=<seq>`.
 */
@Injectable()
export class ChannelLiveRepository {
  constructor(
    @Inject(NatsService) private readonly nats: NatsService,
    @Inject(PLATFORM_LOGGER) private readonly logger: Logger,
  ) {}

  publish(channelId: string, change: ChannelLive): void {
    const payload = JSON.stringify(channelLiveSchema.parse(change));
    this.nats.ready(2_000).then(
      (nc) => nc.publish(chatLive.channel(channelId), payload),
      (err: unknown) => this.logger.warn({ err, channelId }, 'channel change not published live'),
    );
  }
}
