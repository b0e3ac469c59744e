import { Schema, Types } from 'mongoose';
import { outboxSchemaField, type OutboxEntry } from '@agora/platform';
import type { BoardArea, SpaceKind, SpaceRole } from '@agora/proto';

export interface MembershipDoc {
  _id: Types.ObjectId;
  spaceId: Types.ObjectId;
  /** The space's kind, copied so "my proposals" and events need no second read. */
  kind: SpaceKind;
  memberId: Types.ObjectId;
  role: SpaceRole;
  /** A session expert's area (`creativity`, `communication-marketing`, `funding`, `technology`). */
  area?: BoardArea | null;
  /** Who added them (null: they created the space or joined by invitation on their own). */
  addedBy: Types.ObjectId | null;
  addedAt: Date;
  /**
   * False once removed: the document stays so its `membership.removed` event leaves in the same
   * write (a deleted document could not carry it); adding the member again revives it.
   */
  active: boolean;
  outbox: OutboxEntry[];
}

export const MEMBERSHIP_COLLECTION = 'memberships';

export const membershipSchema = new Schema<MembershipDoc>(
  {
    spaceId: { type: Schema.Types.ObjectId, required: true },
    kind: { type: String, required: true },
    memberId: { type: Schema.Types.ObjectId, required: true },
    role: { type: String, required: true },
    area: { type: String, default: null },
    addedBy: { type: Schema.Types.ObjectId, default: null },
    addedAt: { type: Date, required: true },
    active: { type: Boolean, default: true },
    outbox: outboxSchemaField,
  },
  { collection: MEMBERSHIP_COLLECTION, versionKey: false },
);

// one membership per member and space (a duplicate add or a redelivered invitation is refused
// here); also "members of a space" and counting its leads or owners.
membershipSchema.index({ spaceId: 1, memberId: 1 }, { unique: true });
// "mine": the spaces a member is in; rights: the member's roles in a proposal and its call at once.
membershipSchema.index({ memberId: 1, spaceId: 1 });
// outbox relay: documents with unpublished events.
membershipSchema.index({ 'outbox._id': 1 });

/** An email invitation into a space: the role waits here until the invitee joins Agora. */
export interface SpaceInvitationDoc {
  _id: Types.ObjectId;
  /** Identity's invitation id. */
  invitationId: string;
  spaceId: Types.ObjectId;
  kind: SpaceKind;
  role: SpaceRole;
  invitedBy: Types.ObjectId;
  invitedAt: Date;
  /** Set when the invitee joined (the membership is written right after). */
  acceptedBy: Types.ObjectId | null;
  outbox: OutboxEntry[];
}

export const SPACE_INVITATION_COLLECTION = 'space_invitations';

export const spaceInvitationSchema = new Schema<SpaceInvitationDoc>(
  {
    invitationId: { type: String, required: true },
    spaceId: { type: Schema.Types.ObjectId, required: true },
    kind: { type: String, required: true },
    role: { type: String, required: true },
    invitedBy: { type: Schema.Types.ObjectId, required: true },
    invitedAt: { type: Date, required: true },
    acceptedBy: { type: Schema.Types.ObjectId, default: null },
    outbox: outboxSchemaField,
  },
  { collection: SPACE_INVITATION_COLLECTION, versionKey: false },
);

// `identity.invitation.accepted` → the space and role it was sent for (one space per invitation).
spaceInvitationSchema.index({ invitationId: 1 }, { unique: true });
// a space's pending invitations (its member list).
spaceInvitationSchema.index({ spaceId: 1, acceptedBy: 1 });
// outbox relay: documents with unpublished events.
spaceInvitationSchema.index({ 'outbox._id': 1 });
