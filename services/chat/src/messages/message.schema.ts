import { Schema, Types } from 'mongoose';
import { outboxSchemaField, type OutboxEntry } from '@agora/platform';
import type { MessageAttachmentEntry } from '../attachments/attachment.view.js';

export interface ReactionEntry {
  emoji: string;
  memberIds: Types.ObjectId[];
}

export interface MessageDoc {
  _id: Types.ObjectId;
  channelId: Types.ObjectId;
  seq: number;
  /** null: a placeholder the repairer wrote for a seq whose sender never wrote its message. */
  authorId: Types.ObjectId | null;
  clientMessageId: string;
  /** Raw markdown as written; empty once deleted or for a placeholder. */
  body: string;
  /** `body` rendered by the sanitiser (markdown.ts). */
  html: string;
  mentionIds: Types.ObjectId[];
  threadOf: Types.ObjectId | null;
  replyCount: number;
  reactions: ReactionEntry[];
  /** Files sent with it (their metadata; the bytes are attachments'); emptied when it is deleted. */
  attachments: MessageAttachmentEntry[];
  /** Every 2–16 character prefix of every word of the body (search without $text). */
  wordPrefixes: string[];
  createdAt: Date;
  editedAt: Date | null;
  deleted: boolean;
  hiddenReason: string | null;
  hiddenBy: Types.ObjectId | null;
  reports: { reporterId: Types.ObjectId; reason: string; at: Date }[];
  outbox: OutboxEntry[];
}

export const MESSAGE_COLLECTION = 'messages';

export const messageSchema = new Schema<MessageDoc>(
  {
    channelId: { type: Schema.Types.ObjectId, required: true },
    seq: { type: Number, required: true },
    authorId: { type: Schema.Types.ObjectId, default: null },
    clientMessageId: { type: String, required: true },
    body: { type: String, default: '' },
    html: { type: String, default: '' },
    mentionIds: { type: [Schema.Types.ObjectId], default: [] },
    threadOf: { type: Schema.Types.ObjectId, default: null },
    replyCount: { type: Number, default: 0 },
    reactions: {
      type: [{ _id: false, emoji: String, memberIds: [Schema.Types.ObjectId] }],
      default: [],
    },
    attachments: {
      type: [
        {
          _id: false,
          id: Schema.Types.ObjectId,
          name: String,
          contentType: String,
          bytes: Number,
          width: { type: Number, default: null },
          height: { type: Number, default: null },
        },
      ],
      default: [],
    },
    wordPrefixes: { type: [String], default: [] },
    createdAt: { type: Date, required: true },
    editedAt: { type: Date, default: null },
    deleted: { type: Boolean, default: false },
    hiddenReason: { type: String, default: null },
    hiddenBy: { type: Schema.Types.ObjectId, default: null },
    reports: {
      type: [{ _id: false, reporterId: Schema.Types.ObjectId, reason: String, at: Date }],
      default: [],
    },
    outbox: outboxSchemaField,
  },
  { collection: MESSAGE_COLLECTION, versionKey: false },
);

// history by seq (after/before/around) — and no two messages share a seq in a channel.
messageSchema.index({ channelId: 1, seq: 1 }, { unique: true });
// idempotent send: a retry with the same clientMessageId finds the message it wrote.
messageSchema.index({ channelId: 1, authorId: 1, clientMessageId: 1 }, { unique: true });
// a thread's replies.
messageSchema.index({ threadOf: 1, seq: 1 });
// search within a channel: word prefixes lead (the store plans on the leading field only).
messageSchema.index({ wordPrefixes: 1, channelId: 1 });
// outbox relay: documents with unpublished events.
messageSchema.index({ 'outbox._id': 1 });
