import { Inject, Injectable } from '@nestjs/common';
import type { Model } from 'mongoose';
import { indexesReady, isDuplicateKey, MongoService } from '@agora/platform';
import {
  COMPACTION_LEASE_COLLECTION,
  compactionLeaseSchema,
  type CompactionLeaseDoc,
} from './compaction-lease.schema.js';

/** Per-doc compaction leases in MongoDB, so one compactor at a time works on a doc across replicas. */
@Injectable()
export class CompactionLeaseRepository {
  private readonly model: Model<CompactionLeaseDoc>;
  private readonly indexed: Promise<void>;

  constructor(@Inject(MongoService) mongo: MongoService) {
    this.model = mongo.connection.model<CompactionLeaseDoc>(
      'CompactionLease',
      compactionLeaseSchema,
      COMPACTION_LEASE_COLLECTION,
    );
    this.indexed = indexesReady(this.model);
  }

  /**
   * Takes (or extends) the doc's lease for `holder` until `until`; false while another holder's
   * lease has not lapsed at `now`. Atomic: of two takers at once exactly one gets it.
   */
  async acquire(docName: string, holder: string, now: Date, until: Date): Promise<boolean> {
    await this.indexed;
    try {
      const doc = await this.model
        .findOneAndUpdate(
          { _id: docName, $or: [{ until: { $lte: now } }, { holder }] },
          { $set: { holder, until } },
          { upsert: true, returnDocument: 'after' },
        )
        .lean<CompactionLeaseDoc>()
        .exec();
      return doc?.holder === holder;
    } catch (err) {
      // The filter missed (held by another) and the upsert then hit the existing `_id`.
      if (isDuplicateKey(err)) return false;
      throw err;
    }
  }

  /** Gives the lease up, if `holder` still has it. */
  async release(docName: string, holder: string): Promise<void> {
    await this.model.deleteOne({ _id: docName, holder }).exec();
  }
}
