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
  SUSPENSION_COLLECTION,
  suspensionSchema,
  type SuspensionDoc,
} from './suspension.schema.js';

export interface SuspensionRecord {
  memberId: string;
  suspended: boolean;
  reason: string;
  byId: string;
  at: Date;
}

function toRecord(doc: SuspensionDoc): SuspensionRecord {
  return {
    memberId: doc._id.toHexString(),
    suspended: doc.suspended,
    reason: doc.reason,
    byId: doc.byId.toHexString(),
    at: doc.at,
  };
}

/** Suspensions; each change carries its event in the same document write (outbox). */
@Injectable()
export class SuspensionRepository {
  private readonly model: Model<SuspensionDoc>;
  private readonly writes: OutboxWriter<SuspensionDoc>;
  private readonly indexed: Promise<void>;

  constructor(mongo: MongoService, outbox: Outbox) {
    this.model = mongo.connection.model<SuspensionDoc>(
      'Suspension',
      suspensionSchema,
      SUSPENSION_COLLECTION,
    );
    this.writes = outbox.for(this.model);
    this.indexed = indexesReady(this.model);
  }

  async find(memberId: string): Promise<SuspensionRecord | null> {
    if (!Types.ObjectId.isValid(memberId)) return null;
    const doc = await this.model
      .findById(memberId, { outbox: 0, log: 0 })
      .lean<SuspensionDoc>()
      .exec();
    return doc ? toRecord(doc) : null;
  }

  /** The current suspensions among these members. */
  async suspendedAmong(memberIds: readonly string[]): Promise<SuspensionRecord[]> {
    if (memberIds.length === 0) return [];
    const docs = await this.model
      .find(
        { _id: { $in: memberIds.map((id) => new Types.ObjectId(id)) }, suspended: true },
        { outbox: 0, log: 0 },
      )
      .lean<SuspensionDoc[]>()
      .exec();
    return docs.map(toRecord);
  }

  /** Ids of every member suspended now (the admin list's filter; suspensions are few). */
  async suspendedIds(): Promise<string[]> {
    const docs = await this.model
      .find({ suspended: true }, { _id: 1 })
      .lean<Pick<SuspensionDoc, '_id'>[]>()
      .exec();
    return docs.map((d) => d._id.toHexString());
  }

  /**
   * Moves the member to `suspended` (true or false) with its event, only from the other state:
   * false when the member already is in that state (nothing written, no event).
   */
  async set(
    memberId: string,
    suspended: boolean,
    reason: string,
    byId: string,
    at: Date,
    events: readonly PendingEvent[],
  ): Promise<boolean> {
    await this.indexed;
    const _id = new Types.ObjectId(memberId);
    const entry = {
      action: suspended ? ('suspended' as const) : ('reinstated' as const),
      reason,
      byId: new Types.ObjectId(byId),
      at,
    };
    const updated = await this.writes.update(
      { _id, suspended: !suspended },
      {
        $set: { suspended, reason, byId: entry.byId, at },
        $push: { log: entry },
      },
      events,
      at,
    );
    if (updated) return true;
    if (!suspended) return false; // never suspended, or not now: nothing to lift
    try {
      await this.writes.insert(
        { _id, suspended, reason, byId: entry.byId, at, log: [entry] },
        events,
        at,
      );
      return true;
    } catch (err) {
      if (isDuplicateKey(err)) return false; // a document exists and is already suspended
      throw err;
    }
  }

  async deleteFor(memberId: string): Promise<void> {
    await this.model.deleteOne({ _id: new Types.ObjectId(memberId) }).exec();
  }
}
