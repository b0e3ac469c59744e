import { Injectable } from '@nestjs/common';
import { Types, type Model } from 'mongoose';
import { MongoService, indexesReady } from '@agora/platform';
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
  ip: string;
  userAgent: string;
}

export type NewSession = Omit<SessionRecord, 'id' | 'rotatedAt' | 'revokedAt'>;

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

  async revokeFamily(familyId: string, at: Date): Promise<number> {
    const res = await this.model
      .updateMany({ familyId, revokedAt: null }, { $set: { revokedAt: at } })
      .exec();
    return res.modifiedCount;
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
