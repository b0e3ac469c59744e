import { z } from 'zod';
import { event } from '../events.js';
import { memberIdSchema } from '../identity/member.js';
import { channelIdSchema } from './channel.js';

/** Chat's domain events. */
export const chatEvents = {
  /** The member left the channel or was removed from it: they lose its room. */
  channelMemberRemoved: event(
    'chat',
    'channel-member',
    'removed',
    z.strictObject({ channelId: channelIdSchema, memberId: memberIdSchema }),
  ),
} as const;
