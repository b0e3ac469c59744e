import { Injectable } from '@nestjs/common';
import { Clock } from '@agora/platform';
import { ChannelLiveRepository } from '../live/channel-live.repository.js';
import { MessageRepository } from './message.repository.js';
import { toMessageView } from './message.view.js';

/** Writes the empty placeholder for a seq nobody will write, and tells the room (no gap live either). */
@Injectable()
export class SeqPlaceholders {
  constructor(
    private readonly messages: MessageRepository,
    private readonly live: ChannelLiveRepository,
    private readonly clock: Clock,
  ) {}

  async fill(channelId: string, seq: number): Promise<boolean> {
    if (!(await this.messages.fillPlaceholder(channelId, seq, this.clock.now()))) return false;
    const stored = await this.messages.bySeq(channelId, seq);
    if (stored)
      this.live.publish(channelId, {
        event: 'message.created',
        payload: { channelId, message: toMessageView(stored) },
      });
    return true;
  }
}
