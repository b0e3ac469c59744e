import { Schema, Types } from 'mongoose';
import type { SpaceKind, SpaceRole } from '@agora/proto';

/**
 * Who is in which space in what role, projected from spaces' membership events (notifications need
 * a proposal's team and a session's or workshop's people without asking spaces for each event).
 * A removal keeps the document (`present: false`) so an older event arriving late cannot revive it.
 */
export interface SpaceMemberDoc {
  _id: Types.ObjectId;
  spaceId: Types.ObjectId;
  memberId: Types.ObjectId;
  kind: SpaceKind | null;
  role: SpaceRole | null;
  present: boolean;
  /** When the event that last changed it occurred. */
  asOf: Date;
}

export const SPACE_MEMBER_COLLECTION = 'notify_space_members';

export const spaceMemberSchema = new Schema<SpaceMemberDoc>(
  {
    spaceId: { type: Schema.Types.ObjectId, required: true },
    memberId: { type: Schema.Types.ObjectId, required: true },
    kind: { type: String, default: null },
    role: { type: String, default: null },
    present: { type: Boolean, required: true },
    asOf: { type: Date, required: true },
  },
  { collection: SPACE_MEMBER_COLLECTION, versionKey: false },
);

// one row per space and member; a space's present members.
spaceMemberSchema.index({ spaceId: 1, memberId: 1 }, { unique: true });
