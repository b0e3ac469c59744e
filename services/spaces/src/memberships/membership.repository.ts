import { Injectable } from '@nestjs/common';
import type { Model } from 'mongoose';
import {
  indexesReady,
  isDuplicateKey,
  MongoService,
  Outbox,
  type OutboxWriter,
  type PendingEvent,
} from '@agora/platform';
import type { BoardArea, SpaceKind, SpaceRole } from '@agora/proto';
import { hex, oid } from '../common/object-id.js';
import {
  MEMBERSHIP_COLLECTION,
  membershipSchema,
  SPACE_INVITATION_COLLECTION,
  spaceInvitationSchema,
  type MembershipDoc,
  type SpaceInvitationDoc,
} from './membership.schema.js';

export interface MembershipRecord {
  spaceId: string;
  kind: SpaceKind;
  memberId: string;
  role: SpaceRole;
  /** A session expert's area; null (or absent) for every other role. */
  area?: BoardArea | null;
  addedBy: string | null;
  addedAt: Date;
}

export interface PendingInvitationRecord {
  invitationId: string;
  spaceId: string;
  kind: SpaceKind;
  role: SpaceRole;
  invitedBy: string;
  invitedAt: Date;
  acceptedBy: string | null;
}

function toRecord(d: MembershipDoc): MembershipRecord {
  return {
    spaceId: hex(d.spaceId),
    kind: d.kind,
    memberId: hex(d.memberId),
    role: d.role,
    area: d.area ?? null,
    addedBy: d.addedBy ? hex(d.addedBy) : null,
    addedAt: d.addedAt,
  };
}

function toInvitation(d: SpaceInvitationDoc): PendingInvitationRecord {
  return {
    invitationId: d.invitationId,
    spaceId: hex(d.spaceId),
    kind: d.kind,
    role: d.role,
    invitedBy: hex(d.invitedBy),
    invitedAt: d.invitedAt,
    acceptedBy: d.acceptedBy ? hex(d.acceptedBy) : null,
  };
}

const noOutbox = { outbox: 0 } as const;

/** Memberships and pending email invitations: all their I/O. */
@Injectable()
export class MembershipRepository {
  private readonly model: Model<MembershipDoc>;
  private readonly writes: OutboxWriter<MembershipDoc>;
  private readonly invitations: Model<SpaceInvitationDoc>;
  private readonly invitationWrites: OutboxWriter<SpaceInvitationDoc>;
  private readonly indexed: Promise<void>;

  constructor(mongo: MongoService, outbox: Outbox) {
    this.model = mongo.connection.model<MembershipDoc>(
      'Membership',
      membershipSchema,
      MEMBERSHIP_COLLECTION,
    );
    this.writes = outbox.for(this.model);
    this.invitations = mongo.connection.model<SpaceInvitationDoc>(
      'SpaceInvitation',
      spaceInvitationSchema,
      SPACE_INVITATION_COLLECTION,
    );
    this.invitationWrites = outbox.for(this.invitations);
    this.indexed = Promise.all([indexesReady(this.model), indexesReady(this.invitations)]).then(
      () => undefined,
    );
  }

  /**
   * Adds the member (or revives a removed membership) with its events; `duplicate` when they are
   * already an active member, and then nothing is written.
   */
  async add(m: MembershipRecord, events: readonly PendingEvent[]): Promise<'added' | 'duplicate'> {
    await this.indexed;
    const fields = {
      kind: m.kind,
      role: m.role,
      area: m.area ?? null,
      addedBy: m.addedBy ? oid(m.addedBy) : null,
      addedAt: m.addedAt,
      active: true,
    };
    const revived = await this.writes.update(
      { spaceId: oid(m.spaceId), memberId: oid(m.memberId), active: false },
      { $set: fields },
      events,
      m.addedAt,
    );
    if (revived) return 'added';
    try {
      await this.writes.insert(
        { spaceId: oid(m.spaceId), memberId: oid(m.memberId), ...fields },
        events,
        m.addedAt,
      );
      return 'added';
    } catch (err) {
      if (isDuplicateKey(err)) return 'duplicate';
      throw err;
    }
  }

  async find(spaceId: string, memberId: string): Promise<MembershipRecord | null> {
    const d = await this.model
      .findOne({ spaceId: oid(spaceId), memberId: oid(memberId), active: true }, noOutbox)
      .lean<MembershipDoc>()
      .exec();
    return d ? toRecord(d) : null;
  }

  /** The member's roles in these spaces, in one read of the `{memberId, spaceId}` index. */
  async rolesIn(memberId: string, spaceIds: readonly string[]): Promise<Map<string, SpaceRole>> {
    const out = new Map<string, SpaceRole>();
    if (spaceIds.length === 0) return out;
    const docs = await this.model
      .find(
        {
          memberId: oid(memberId),
          spaceId: { $in: [...new Set(spaceIds)].map(oid) },
          active: true,
        },
        { spaceId: 1, role: 1 },
      )
      .lean<Pick<MembershipDoc, 'spaceId' | 'role'>[]>()
      .exec();
    for (const d of docs) out.set(hex(d.spaceId), d.role);
    return out;
  }

  /** Every space of a kind the member is in (their "mine"). */
  async spacesOf(memberId: string, kind: SpaceKind): Promise<MembershipRecord[]> {
    const docs = await this.model
      .find({ memberId: oid(memberId), active: true }, noOutbox)
      .lean<MembershipDoc[]>()
      .exec();
    return docs.filter((d) => d.kind === kind).map(toRecord);
  }

  async listBySpace(spaceId: string): Promise<MembershipRecord[]> {
    const docs = await this.model
      .find({ spaceId: oid(spaceId), active: true }, noOutbox)
      .sort({ addedAt: 1 })
      .lean<MembershipDoc[]>()
      .exec();
    return docs.map(toRecord);
  }

  async countRole(spaceId: string, role: SpaceRole): Promise<number> {
    return this.model.countDocuments({ spaceId: oid(spaceId), role, active: true }).exec();
  }

  /** Changes the role if it still is `from`; null when the membership changed meanwhile. */
  async changeRole(
    spaceId: string,
    memberId: string,
    from: SpaceRole,
    to: SpaceRole,
    events: readonly PendingEvent[],
    at: Date,
  ): Promise<MembershipRecord | null> {
    const d = await this.writes.update(
      { spaceId: oid(spaceId), memberId: oid(memberId), role: from, active: true },
      { $set: { role: to } },
      events,
      at,
    );
    return d ? toRecord(d) : null;
  }

  /** Marks the membership removed with its events; false when there was none. */
  async remove(
    spaceId: string,
    memberId: string,
    events: readonly PendingEvent[],
    at: Date,
  ): Promise<boolean> {
    const d = await this.writes.update(
      { spaceId: oid(spaceId), memberId: oid(memberId), active: true },
      { $set: { active: false } },
      events,
      at,
    );
    return d !== null;
  }

  async recordInvitation(
    inv: PendingInvitationRecord,
    events: readonly PendingEvent[],
  ): Promise<'recorded' | 'duplicate'> {
    await this.indexed;
    try {
      await this.invitationWrites.insert(
        {
          invitationId: inv.invitationId,
          spaceId: oid(inv.spaceId),
          kind: inv.kind,
          role: inv.role,
          invitedBy: oid(inv.invitedBy),
          invitedAt: inv.invitedAt,
          acceptedBy: null,
        },
        events,
        inv.invitedAt,
      );
      return 'recorded';
    } catch (err) {
      if (isDuplicateKey(err)) return 'duplicate';
      throw err;
    }
  }

  async findInvitation(invitationId: string): Promise<PendingInvitationRecord | null> {
    const d = await this.invitations
      .findOne({ invitationId }, noOutbox)
      .lean<SpaceInvitationDoc>()
      .exec();
    return d ? toInvitation(d) : null;
  }

  /**
   * Claims the invitation for the member who accepted it. True when it is theirs now or already
   * was (a redelivery), false when another member holds it.
   */
  async claimInvitation(invitationId: string, memberId: string): Promise<boolean> {
    await this.invitations
      .updateOne({ invitationId, acceptedBy: null }, { $set: { acceptedBy: oid(memberId) } })
      .exec();
    const d = await this.findInvitation(invitationId);
    return d?.acceptedBy === memberId;
  }

  async pendingOf(spaceId: string): Promise<PendingInvitationRecord[]> {
    const docs = await this.invitations
      .find({ spaceId: oid(spaceId), acceptedBy: null }, noOutbox)
      .sort({ invitedAt: 1 })
      .lean<SpaceInvitationDoc[]>()
      .exec();
    return docs.map(toInvitation);
  }
}
