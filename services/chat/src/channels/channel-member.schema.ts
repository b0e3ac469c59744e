import { Schema, Types } from 'mongoose';
import { outboxSchemaField, type OutboxEntry } from '@agora/platform';

export interface ChannelMemberDoc {
  _id: Types.ObjectId;
  channelId: Types.ObjectId;
  memberId: Types.ObjectId;
  /** Moderators edit, delete and hide anyone's messages and mute members. */
  moderator: boolean;
  /**
   * False once they left or were removed: the document stays so its event leaves in the same write
   * and a returning member keeps their read position.
   */
  active: boolean;
  /** Highest seq the member has read. */
  readSeq: number;
  mutedUntil: Date | null;
  joinedAt: Date;
  /** The spaces event that set this membership last (stream seq): an older redelivery is ignored. */
  sourceSeq: number;
  outbox: OutboxEntry[];
}

export const CHANNEL_MEMBER_COLLECTION = 'channel_members';

export const channelMemberSchema = new Schema<ChannelMemberDoc>(
  {
    channelId: { type: Schema.Types.ObjectId, required: true },
    memberId: { type: Schema.Types.ObjectId, required: true },
    moderator: { type: Boolean, default: false },
    active: { type: Boolean, default: true },
    readSeq: { type: Number, default: 0 },
    mutedUntil: { type: Date, default: null },
    joinedAt: { type: Date, required: true },
    sourceSeq: { type: Number, default: 0 },
    outbox: outboxSchemaField,
  },
  { collection: CHANNEL_MEMBER_COLLECTION, versionKey: false },
);

// one membership per member and channel; every access check (channel.access, each RPC) reads it.
channelMemberSchema.index({ channelId: 1, memberId: 1 }, { unique: true });
// "my channels".
channelMemberSchema.index({ memberId: 1, active: 1 });
// outbox relay: documents with unpublished events.
channelMemberSchema.index({ 'outbox._id': 1 });
