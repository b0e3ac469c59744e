import { Injectable } from '@nestjs/common';
import type { Model } from 'mongoose';
import { MongoService, indexesReady, isDuplicateKey } from '@agora/platform';
import {
  ADMIN_CLAIM_COLLECTION,
  ADMIN_CLAIM_ID,
  adminClaimSchema,
  type AdminClaimDoc,
} from './admin-claim.schema.js';

export interface AdminClaim {
  memberId: string;
  claimedAt: Date;
}

/** The "first account becomes admin" singleton. */
@Injectable()
export class AdminClaimRepository {
  private readonly model: Model<AdminClaimDoc>;
  /** Unique and TTL indexes built (writes that rely on them wait for this). */
  private readonly indexed: Promise<void>;

  constructor(mongo: MongoService) {
    this.model = mongo.connection.model<AdminClaimDoc>(
      'AdminClaim',
      adminClaimSchema,
      ADMIN_CLAIM_COLLECTION,
    );
    this.indexed = indexesReady(this.model);
  }

  /** True when this call inserted the claim (exactly one caller ever wins). */
  async claim(memberId: string, at: Date): Promise<boolean> {
    try {
      await this.model.create({ _id: ADMIN_CLAIM_ID, memberId, claimedAt: at });
      return true;
    } catch (err) {
      if (isDuplicateKey(err)) return false;
      throw err;
    }
  }

  async current(): Promise<AdminClaim | null> {
    const doc = await this.model.findById(ADMIN_CLAIM_ID).lean<AdminClaimDoc>().exec();
    return doc ? { memberId: doc.memberId, claimedAt: doc.claimedAt } : null;
  }

  /** Moves a claim whose member never came to exist to `memberId`; false if someone else moved it. */
  async takeOver(fromMemberId: string, memberId: string, at: Date): Promise<boolean> {
    const res = await this.model
      .updateOne(
        { _id: ADMIN_CLAIM_ID, memberId: fromMemberId },
        { $set: { memberId, claimedAt: at } },
      )
      .exec();
    return res.modifiedCount === 1;
  }

  /** Gives the claim back when the registration that took it failed. */
  async release(memberId: string): Promise<void> {
    await this.model.deleteOne({ _id: ADMIN_CLAIM_ID, memberId }).exec();
  }
}
