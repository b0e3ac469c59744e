import { Injectable } from '@nestjs/common';
import { Types, type Model } from 'mongoose';
import { MongoService, indexesReady } from '@agora/platform';
import type { SessionEndCause } from '@agora/proto';
import { SESSION_COLLECTION, sessionSchema, type SessionDoc } from './session.schema.js';

export interface SessionRecord {
  id: string;
  memberId: string;
  familyId: string;
  tokenHash: string;
  familyCreatedAt: Date;
  createdAt: Date;
  expiresAt: Date;
  rotatedAt: Date | null;
  revokedAt: Date | null;
  revokedCause: string | null;
  ip: string;
  userAgent: string;
}

export type NewSession = Omit<SessionRecord, 'id' | 'rotatedAt' | 'revokedAt' | 'revokedCause'>;

function toRecord(doc: SessionDoc): SessionRecord {
  return {
    id: doc._id.toHexString(),
    memberId: doc.memberId.toHexString(),
    familyId: doc.familyId,
    tokenHash: doc.tokenHash,
    familyCreatedAt: doc.familyCreatedAt,
    createdAt: doc.createdAt,
    expiresAt: doc.expiresAt,
    rotatedAt: doc.rotatedAt ?? null,
    revokedAt: doc.revokedAt ?? null,
    revokedCause: doc.revokedCause ?? null,
    ip: doc.ip,
    userAgent: doc.userAgent,
  };
}

/** Refresh tokens (hashed), grouped in families. */
@Injectable()
export class SessionRepository {
  private readonly model: Model<SessionDoc>;
  /** Unique and TTL indexes built (writes that rely on them wait for this). */
  private readonly indexed: Promise<void>;

  constructor(mongo: MongoService) {
    this.model = mongo.connection.model<SessionDoc>('Session', sessionSchema, SESSION_COLLECTION);
    this.indexed = indexesReady(this.model);
  }

  async insert(session: NewSession): Promise<void> {
    await this.indexed;
    await this.model.create({ ...session, memberId: new Types.ObjectId(session.memberId) });
  }

  async findByHash(tokenHash: string): Promise<SessionRecord | null> {
    const doc = await this.model.findOne({ tokenHash }).lean<SessionDoc>().exec();
    return doc ? toRecord(doc) : null;
  }

  /** Marks the token as exchanged; false when it already was (or was revoked): that is reuse. */
  async markRotated(id: string, at: Date): Promise<boolean> {
    const res = await this.model
      .updateOne(
        { _id: new Types.ObjectId(id), rotatedAt: null, revokedAt: null },
        { $set: { rotatedAt: at } },
      )
      .exec();
    return res.modifiedCount === 1;
  }

  async revokeFamily(
    familyId: string,
    at: Date,
    cause: SessionEndCause | null = null,
  ): Promise<number> {
    return this.revokeFamilies([familyId], at, cause);
  }

  async revokeFamilies(
    familyIds: readonly string[],
    at: Date,
    cause: SessionEndCause | null = null,
  ): Promise<number> {
    if (familyIds.length === 0) return 0;
    const res = await this.model
      .updateMany(
        { familyId: { $in: [...familyIds] }, revokedAt: null },
        { $set: { revokedAt: at, revokedCause: cause } },
      )
      .exec();
    return res.modifiedCount;
  }

  /**
   * True when a token of the family was revoked other than for reuse (a rotation racing a
   * revocation checks this; two refreshes racing with one token leave the winner its session).
   */
  async isFamilyRevoked(familyId: string): Promise<boolean> {
    const n = await this.model
      .countDocuments({ familyId, revokedAt: { $ne: null }, revokedCause: { $ne: 'reused' } })
      .exec();
    return n > 0;
  }

  /**
   * The member's tokens not revoked and not expired, newest first: each live family's current
   * token, and the tokens it rotated from (a family in the middle of a rotation has only those).
   */
  async liveForMember(memberId: string, now: Date): Promise<SessionRecord[]> {
    const docs = await this.model
      .find({ memberId: new Types.ObjectId(memberId), revokedAt: null, expiresAt: { $gt: now } })
      .sort({ createdAt: -1 })
      .lean<SessionDoc[]>()
      .exec();
    return docs.map(toRecord);
  }

  async listForMember(memberId: string): Promise<SessionRecord[]> {
    const docs = await this.model
      .find({ memberId: new Types.ObjectId(memberId) })
      .sort({ createdAt: -1 })
      .lean<SessionDoc[]>()
      .exec();
    return docs.map(toRecord);
  }

  async deleteForMember(memberId: string): Promise<void> {
    await this.model.deleteMany({ memberId: new Types.ObjectId(memberId) }).exec();
  }
}
