import { Schema, Types } from 'mongoose';
import { outboxSchemaField, type OutboxEntry } from '@agora/platform';
import type { NotificationTarget, NotificationType } from '@agora/proto';

/**
 * One notification of one member, per collapse key (`forum-reply:post:<id>`, `mention:<channelId>`,
 * …): repeats on the same key grow `count` instead of adding notifications. `sources` keeps the
 * ids of the latest source events it counted, so a redelivered event finds itself and changes nothing.
 */
export interface NotificationDoc {
  _id: Types.ObjectId;
  memberId: Types.ObjectId;
  key: string;
  type: NotificationType;
  target: NotificationTarget;
  count: number;
  actorIds: Types.ObjectId[];
  sources: string[];
  read: boolean;
  createdAt: Date;
  updatedAt: Date;
  outbox: OutboxEntry[];
}

export const NOTIFICATION_COLLECTION = 'notifications';
/** Source ids kept per notification: far more than one event is ever redelivered late. */
export const SOURCES_KEPT = 200;
/** Actors shown per notification. */
export const ACTORS_KEPT = 5;

const targetSchema = new Schema<NotificationTarget>(
  {
    spaceId: { type: String, default: null },
    channelId: { type: String, default: null },
    messageId: { type: String, default: null },
    postId: { type: String, default: null },
    commentId: { type: String, default: null },
    outcome: { type: String, default: null },
    startsAt: { type: String, default: null },
  },
  { _id: false },
);

export const notificationSchema = new Schema<NotificationDoc>(
  {
    memberId: { type: Schema.Types.ObjectId, required: true },
    key: { type: String, required: true },
    type: { type: String, required: true },
    target: { type: targetSchema, required: true },
    count: { type: Number, required: true },
    actorIds: { type: [Schema.Types.ObjectId], default: [] },
    sources: { type: [String], default: [] },
    read: { type: Boolean, required: true },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
    outbox: outboxSchemaField,
  },
  { collection: NOTIFICATION_COLLECTION, versionKey: false },
);

// one notification per member and collapse key (its repeats grow it).
notificationSchema.index({ memberId: 1, key: 1 }, { unique: true });
// the list, most recently raised first; the unread count; a digest's unread ones.
notificationSchema.index({ memberId: 1, updatedAt: -1, _id: -1 });
// outbox relay: documents with unpublished events.
notificationSchema.index({ 'outbox._id': 1 });
