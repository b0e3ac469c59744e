import { z } from 'zod';
import { memberIdSchema } from '../identity/member.js';

export const channelIdSchema = z.string().regex(/^[a-f0-9]{24}$/, 'channel id');

/** `space`: one per space, its id the space's; `direct`: 2–21 members, a fresh id. */
export const channelKinds = ['space', 'direct'] as const;
export type ChannelKind = (typeof channelKinds)[number];

/** One of my channels, with what I have not read. */
export const channelSchema = z.strictObject({
  id: channelIdSchema,
  kind: z.enum(channelKinds),
  /** The members of a direct channel; empty for a space channel (ask spaces for those). */
  memberIds: z.array(memberIdSchema),
  lastSeq: z.number().int().min(0),
  readSeq: z.number().int().min(0),
  unread: z.number().int().min(0),
  /** I may edit and delete anyone's messages, hide them and mute members. */
  moderator: z.boolean(),
  /** Until when I may not post here (ISO time), or null. */
  mutedUntil: z.iso.datetime().nullable(),
  lastMessageAt: z.iso.datetime().nullable(),
});
export type ChannelView = z.infer<typeof channelSchema>;

export const dmOpenSchema = z.strictObject({
  memberIds: z.array(memberIdSchema).min(1).max(20),
});
