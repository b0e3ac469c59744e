import { z } from 'zod';
import { event } from '../events.js';
import { memberIdSchema } from '../identity/member.js';
import { channelIdSchema } from './channel.js';
import { messageIdSchema } from './message.js';

/**
 * Chat's domain events, in the stream AGORA_CHAT: ids only. Message bodies never enter a stream
 * (an erasure could not rewrite it); they reach sockets over core NATS (`chatLive`).
 */
export const chatEvents = {
  /** The member left the channel or was removed from it: they lose its room. */
  channelMemberRemoved: event(
    'chat',
    'channel-member',
    'removed',
    z.strictObject({ channelId: channelIdSchema, memberId: memberIdSchema }),
  ),
  /** A message that mentions members or replies in a thread was stored with its seq (it notifies). */
  messagePosted: event(
    'chat',
    'message',
    'posted',
    z.strictObject({
      messageId: messageIdSchema,
      channelId: channelIdSchema,
      seq: z.number().int().min(1),
      authorId: memberIdSchema,
      threadOf: messageIdSchema.nullable(),
      mentionIds: z.array(memberIdSchema),
    }),
  ),
  /** A member reported a message (the reason stays in chat's database). */
  messageReported: event(
    'chat',
    'message',
    'reported',
    z.strictObject({
      messageId: messageIdSchema,
      channelId: channelIdSchema,
      reporterId: memberIdSchema,
    }),
  ),
} as const;
