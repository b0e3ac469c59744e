import { Schema, Types } from 'mongoose';
import type { ChannelKind } from '@agora/proto';

/** A sequence number handed to a sender who has not yet written its message. */
export interface SeqReservation {
  /** The reserving send's own id (it removes the entry once its message is written). */
  rid: string;
  at: Date;
}

export interface ChannelDoc {
  _id: Types.ObjectId;
  kind: ChannelKind;
  /**
   * A direct channel's members as created, sorted and joined with `,`: the unique key that makes
   * `POST /api/dms` answer the same channel for the same set. Absent for space channels.
   */
  memberKey?: string;
  /** Highest sequence number handed out: every seq from 1 to it has (or will have) a message. */
  lastSeq: number;
  /** Reservations whose message is not written yet; the repairer fills seqs left too long. */
  pending: SeqReservation[];
  /** Every seq up to this one is known to have its message (where the repairer's scan starts). */
  filledThrough?: number;
  /**
   * Moved by every removal and mute of a member here (absent until the first): a seq is reserved
   * only under the value a sender's membership was read with, so a remembered membership never
   * outlives its change (SenderMemberships).
   */
  membersRev?: number;
  /**
   * Keys of the channel's last sends (`sendKey`: author and clientMessageId, hashed), newest last: a
   * send reserves a seq only when its key is not here, so a retry is found by the reservation
   * itself instead of a read before every send. Absent on channels nobody has sent in since.
   */
  recentSends?: string[];
  lastMessageAt: Date | null;
  createdAt: Date;
}

export const CHANNEL_COLLECTION = 'channels';

export const channelSchema = new Schema<ChannelDoc>(
  {
    kind: { type: String, required: true },
    memberKey: { type: String },
    lastSeq: { type: Number, default: 0 },
    pending: {
      type: [
        { _id: false, rid: { type: String, required: true }, at: { type: Date, required: true } },
      ],
      default: [],
    },
    filledThrough: { type: Number, default: 0 },
    membersRev: { type: Number },
    recentSends: { type: [String], default: undefined },
    lastMessageAt: { type: Date, default: null },
    createdAt: { type: Date, required: true },
  },
  { collection: CHANNEL_COLLECTION, versionKey: false },
);

// `POST /api/dms`: one direct channel per member set (space channels have no key: sparse).
channelSchema.index({ memberKey: 1 }, { unique: true, sparse: true });
// the seq repairer: reservations older than the repair delay.
channelSchema.index({ 'pending.at': 1 });
