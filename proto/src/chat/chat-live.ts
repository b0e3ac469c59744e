import { z } from 'zod';
import { memberIdSchema } from '../identity/member.js';
import { channelIdSchema } from './channel.js';
import { messageIdSchema, messageSchema, reactionSchema } from './message.js';

/**
 * Chat's live traffic on core NATS (not JetStream: message bodies are personal data, and a client
 * that missed one catches up with `GET …/messages?after=<seq>`). Chat publishes every change of a
 * channel on `chatLive.channel(id)` after storing it; every gateway relays it to the room
 * `channel:<id>` it holds. Typing goes between gateways only, on `chatLive.typing(id)`.
 */
export const chatLive = {
  channel: (channelId: string) => `agora.chat.live.${channelId}`,
  allChannels: 'agora.chat.live.*',
  typing: (channelId: string) => `agora.chat.typing.${channelId}`,
  allTyping: 'agora.chat.typing.*',
} as const;

const inChannel = { channelId: channelIdSchema };

/** One change of a channel, as the room hears it (the socket event's name and payload). */
export const channelLiveSchema = z.discriminatedUnion('event', [
  z.strictObject({
    event: z.literal('message.created'),
    payload: z.strictObject({ ...inChannel, message: messageSchema }),
  }),
  z.strictObject({
    event: z.literal('message.updated'),
    payload: z.strictObject({ ...inChannel, message: messageSchema }),
  }),
  z.strictObject({
    event: z.literal('message.deleted'),
    payload: z.strictObject({ ...inChannel, messageId: messageIdSchema, seq: z.number().int() }),
  }),
  z.strictObject({
    event: z.literal('reaction.changed'),
    payload: z.strictObject({
      ...inChannel,
      messageId: messageIdSchema,
      reactions: z.array(reactionSchema),
    }),
  }),
  z.strictObject({
    event: z.literal('read.changed'),
    payload: z.strictObject({ ...inChannel, memberId: memberIdSchema, readSeq: z.number().int() }),
  }),
]);
export type ChannelLive = z.infer<typeof channelLiveSchema>;

/** Client → gateway: I am typing (at most every 2 s; the indicator fades after `typingTtlMs`). */
export const typingSchema = z.strictObject({ channelId: channelIdSchema });
/** Gateway → gateways and the room. */
export const typingLiveSchema = z.strictObject({
  channelId: channelIdSchema,
  memberId: memberIdSchema,
});
export const typingTtlMs = 5_000;
