import { Injectable } from '@nestjs/common';
import { Types, type Model } from 'mongoose';
import {
  indexesReady,
  isDuplicateKey,
  MongoService,
  Outbox,
  type OutboxWriter,
  type PendingEvent,
} from '@agora/platform';
import {
  INVITATION_COLLECTION,
  INVITATION_QUOTA_COLLECTION,
  invitationQuotaSchema,
  invitationSchema,
  type InvitationDoc,
  type InvitationQuotaDoc,
} from './invitation.schema.js';
import type { UiLanguage } from '../members/member.types.js';

export interface InvitationRecord {
  id: string;
  inviterId: string;
  email: string;
  message: string;
  /** The mail's language (absent on invitations made before it was chosen: the inviter's). */
  language: UiLanguage | null;
  tokenHash: string;
  pendingToken: string | null;
  status: 'sent' | 'accepted';
  createdAt: Date;
  expiresAt: Date;
  acceptedAt: Date | null;
  acceptedMemberId: string | null;
}

function toRecord(doc: InvitationDoc): InvitationRecord {
  return {
    id: doc._id.toHexString(),
    inviterId: doc.inviterId.toHexString(),
    email: doc.email,
    message: doc.message,
    language: doc.language ?? null,
    tokenHash: doc.tokenHash,
    pendingToken: doc.pendingToken ?? null,
    status: doc.status,
    createdAt: doc.createdAt,
    expiresAt: doc.expiresAt,
    acceptedAt: doc.acceptedAt ?? null,
    acceptedMemberId: doc.acceptedMemberId ? doc.acceptedMemberId.toHexString() : null,
  };
}

const oid = (id: string) => new Types.ObjectId(id);

@Injectable()
export class InvitationRepository {
  private readonly model: Model<InvitationDoc>;
  /** Invitations with their events. */
  private readonly writes: OutboxWriter<InvitationDoc>;
  /** Unique and TTL indexes built (writes that rely on them wait for this). */
  private readonly indexed: Promise<void>;
  private readonly quotas: Model<InvitationQuotaDoc>;

  constructor(mongo: MongoService, outbox: Outbox) {
    this.model = mongo.connection.model<InvitationDoc>(
      'Invitation',
      invitationSchema,
      INVITATION_COLLECTION,
    );
    this.writes = outbox.for(this.model);
    this.quotas = mongo.connection.model<InvitationQuotaDoc>(
      'InvitationQuota',
      invitationQuotaSchema,
      INVITATION_QUOTA_COLLECTION,
    );
    this.indexed = Promise.all([indexesReady(this.model), indexesReady(this.quotas)]).then(
      () => undefined,
    );
  }

  newId(): string {
    return new Types.ObjectId().toHexString();
  }

  /**
   * Takes one invitation from the member's allowance for `day`; false once `cap` are used.
   * Race-free: the conditional upsert can only insert when no document exists for that day.
   */
  async takeQuota(inviterId: string, day: string, cap: number, expiresAt: Date): Promise<boolean> {
    try {
      const doc = await this.quotas
        .findOneAndUpdate(
          { _id: `${inviterId}:${day}`, count: { $lt: cap } },
          { $inc: { count: 1 }, $setOnInsert: { expiresAt } },
          { upsert: true, returnDocument: 'after' },
        )
        .lean<InvitationQuotaDoc>()
        .exec();
      return doc !== null;
    } catch (err) {
      if (isDuplicateKey(err)) return false;
      throw err;
    }
  }

  async insert(invitation: InvitationRecord, events: readonly PendingEvent[]): Promise<void> {
    await this.indexed;
    const { id, inviterId, acceptedMemberId, ...fields } = invitation;
    await this.writes.insert(
      {
        _id: oid(id),
        inviterId: oid(inviterId),
        acceptedMemberId: acceptedMemberId ? oid(acceptedMemberId) : null,
        ...fields,
      },
      events,
      invitation.createdAt,
    );
  }

  async findById(id: string): Promise<InvitationRecord | null> {
    if (!Types.ObjectId.isValid(id)) return null;
    const doc = await this.model.findById(id, { outbox: 0 }).lean<InvitationDoc>().exec();
    return doc ? toRecord(doc) : null;
  }

  async findByTokenHash(tokenHash: string): Promise<InvitationRecord | null> {
    const doc = await this.model.findOne({ tokenHash }, { outbox: 0 }).lean<InvitationDoc>().exec();
    return doc ? toRecord(doc) : null;
  }

  /** An invitation from this inviter to this address still waiting for its invitee. */
  async findOpen(inviterId: string, email: string, now: Date): Promise<InvitationRecord | null> {
    const doc = await this.model
      .findOne(
        { inviterId: oid(inviterId), email, status: 'sent', expiresAt: { $gt: now } },
        { outbox: 0 },
      )
      .lean<InvitationDoc>()
      .exec();
    return doc ? toRecord(doc) : null;
  }

  async listByInviter(inviterId: string): Promise<InvitationRecord[]> {
    const docs = await this.model
      .find({ inviterId: oid(inviterId) }, { outbox: 0 })
      .sort({ createdAt: -1 })
      .lean<InvitationDoc[]>()
      .exec();
    return docs.map(toRecord);
  }

  /** Marks the invitation used by `memberId`; false if it was already used or has expired. */
  async accept(id: string, memberId: string, at: Date): Promise<boolean> {
    const res = await this.model
      .updateOne(
        { _id: oid(id), status: 'sent', expiresAt: { $gt: at } },
        { $set: { status: 'accepted', acceptedAt: at, acceptedMemberId: oid(memberId) } },
      )
      .exec();
    return res.modifiedCount === 1;
  }

  /** Moves an acceptance whose account was never written to `memberId`; false if it changed meanwhile. */
  async takeOver(id: string, fromMemberId: string, memberId: string, at: Date): Promise<boolean> {
    const res = await this.model
      .updateOne(
        { _id: oid(id), status: 'accepted', acceptedMemberId: oid(fromMemberId) },
        { $set: { acceptedAt: at, acceptedMemberId: oid(memberId) } },
      )
      .exec();
    return res.modifiedCount === 1;
  }

  /** Undoes `accept` when the registration that used the invitation failed. */
  async undoAccept(id: string, memberId: string): Promise<void> {
    await this.model
      .updateOne(
        { _id: oid(id), acceptedMemberId: oid(memberId) },
        { $set: { status: 'sent', acceptedAt: null, acceptedMemberId: null } },
      )
      .exec();
  }

  /** Forgets the raw token once its mail is recorded (only the hash stays). */
  async clearPendingToken(id: string): Promise<void> {
    await this.model.updateOne({ _id: oid(id) }, { $unset: { pendingToken: 1 } }).exec();
  }

  /**
   * Erases the invitations a deleted member wrote (addresses and messages are personal data) and
   * returns their ids. One whose event is not published yet is emptied instead (address replaced
   * by `erasedAddress`, message and raw token gone), so the event still goes out and finds nothing
   * to mail.
   */
  async deleteByInviter(inviterId: string, erasedAddress: string): Promise<string[]> {
    const docs = await this.model
      .find({ inviterId: oid(inviterId) }, { _id: 1 })
      .lean<Pick<InvitationDoc, '_id'>[]>()
      .exec();
    const ids = docs.map((d) => d._id);
    if (ids.length > 0) {
      await this.model.deleteMany({ _id: { $in: ids }, outbox: { $size: 0 } }).exec();
      await this.model
        .updateMany(
          { _id: { $in: ids } },
          { $set: { email: erasedAddress, message: '' }, $unset: { pendingToken: 1 } },
        )
        .exec();
    }
    return ids.map((i) => i.toHexString());
  }

  /**
   * Forgets a deleted member's address in the invitations others sent them: those to `email`, and
   * the one they registered with (it may name another of their addresses). The records stay, for
   * their inviters, with `erasedAddress` and no raw token. Returns their ids.
   */
  async eraseInvitee(memberId: string, email: string, erasedAddress: string): Promise<string[]> {
    const filter = { $or: [{ email }, { acceptedMemberId: oid(memberId) }] };
    const docs = await this.model
      .find(filter, { _id: 1 })
      .lean<Pick<InvitationDoc, '_id'>[]>()
      .exec();
    if (docs.length > 0) {
      await this.model
        .updateMany(
          { _id: { $in: docs.map((d) => d._id) } },
          { $set: { email: erasedAddress }, $unset: { pendingToken: 1 } },
        )
        .exec();
    }
    return docs.map((d) => d._id.toHexString());
  }
}
