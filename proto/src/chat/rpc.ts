import { z } from 'zod';
import { memberIdSchema } from '../identity/member.js';
import { rpc } from '../rpc.js';
import { attachmentRpc } from './attachment-rpc.js';
import { channelIdSchema, channelSchema, dmOpenSchema } from './channel.js';
import {
  messageEditSchema,
  messageIdSchema,
  messageListQuerySchema,
  messagePageSchema,
  messageSchema,
  messageSearchQuerySchema,
  messageSendSchema,
  muteSchema,
  reactionToggleSchema,
  readPositionSchema,
  reasonSchema,
} from './message.js';

const inChannel = { channelId: channelIdSchema };
const onMessage = { channelId: channelIdSchema, messageId: messageIdSchema };
const member = { actor: 'member' } as const;

/** Chat's request/reply API. Every call but `channelAccess` is made for a member (their token). */
export const chatRpc = {
  /**
   * May this member follow the channel live (socket.io room `channel:<channelId>`)? Asked by the
   * gateway on `channel.join`; an unknown channel answers `allowed: false`.
   */
  channelAccess: rpc(
    'chat',
    'channel.access',
    z.strictObject({ memberId: memberIdSchema, channelId: channelIdSchema }),
    z.strictObject({ allowed: z.boolean() }),
  ),
  /** The direct channel of the caller and these members: the same one on every call. */
  dmOpen: rpc('chat', 'dm.open', dmOpenSchema, channelSchema, member),
  /** The caller's channels, most recent message first, with unread counts. */
  channelList: rpc(
    'chat',
    'channel.list',
    z.strictObject({}),
    z.strictObject({ channels: z.array(channelSchema) }),
    member,
  ),
  channelGet: rpc('chat', 'channel.get', z.strictObject(inChannel), channelSchema, member),
  /** Leave a direct channel (a space's channel is left by leaving the space). */
  channelLeave: rpc('chat', 'channel.leave', z.strictObject(inChannel), z.null(), member),
  /** `created: false`: the author sent this clientMessageId before; that message is answered. */
  messageSend: rpc(
    'chat',
    'message.send',
    messageSendSchema.extend(inChannel),
    z.strictObject({ created: z.boolean(), message: messageSchema }),
    member,
  ),
  messageList: rpc(
    'chat',
    'message.list',
    z.strictObject({
      ...inChannel,
      query: messageListQuerySchema,
      threadOf: messageIdSchema.optional(),
    }),
    messagePageSchema,
    member,
  ),
  messageSearch: rpc(
    'chat',
    'message.search',
    z.strictObject({ ...inChannel, query: messageSearchQuerySchema }),
    z.strictObject({ messages: z.array(messageSchema) }),
    member,
  ),
  messageEdit: rpc(
    'chat',
    'message.edit',
    messageEditSchema.extend(onMessage),
    messageSchema,
    member,
  ),
  messageDelete: rpc('chat', 'message.delete', z.strictObject(onMessage), z.null(), member),
  /** Add (`on: true`) or withdraw the caller's reaction; idempotent either way. */
  reactionSet: rpc(
    'chat',
    'reaction.set',
    reactionToggleSchema.extend({ ...onMessage, on: z.boolean() }),
    messageSchema,
    member,
  ),
  /** Move the caller's read position forward (never back; past the last message is clamped). */
  readSet: rpc(
    'chat',
    'read.set',
    readPositionSchema.extend(inChannel),
    z.strictObject({ channelId: channelIdSchema, readSeq: z.number().int().min(0) }),
    member,
  ),
  messageReport: rpc('chat', 'message.report', reasonSchema.extend(onMessage), z.null(), member),
  /** Moderators: hide a message with a reason shown in its place. */
  messageHide: rpc('chat', 'message.hide', reasonSchema.extend(onMessage), messageSchema, member),
  /** Moderators: the member may not post in the channel for `minutes` (0 lifts it). */
  memberMute: rpc(
    'chat',
    'member.mute',
    muteSchema.extend({ ...inChannel, memberId: memberIdSchema }),
    z.strictObject({ mutedUntil: z.iso.datetime().nullable() }),
    member,
  ),
  /** Attachments: upload, then open and read in chunks (`attachment-rpc.ts`). */
  ...attachmentRpc,
} as const;

export { attachmentRpc };
