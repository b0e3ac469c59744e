import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { Types, type Model } from 'mongoose';
import { indexesReady, MongoService } from '@agora/platform';
import { MEMBER_COLLECTION, memberSchema, type MemberDoc } from '../members/member.schema.js';
import type { MemberRecord } from '../members/member.types.js';
import { ALL_KEY, directoryEntryOf } from './directory-keys.js';

/** What the directory shows of a member document (never the hash, address or outbox). */
const listed = {
  displayName: 1,
  avatarUrl: 1,
  coverUrl: 1,
  country: 1,
  role: 1,
  status: 1,
  bio: 1,
  organisation: 1,
  sector: 1,
  languages: 1,
  expertise: 1,
  publicFields: 1,
  createdAt: 1,
} as const;

export type ListedMember = Pick<
  MemberRecord,
  | 'id'
  | 'displayName'
  | 'avatarUrl'
  | 'coverUrl'
  | 'country'
  | 'role'
  | 'status'
  | 'bio'
  | 'organisation'
  | 'sector'
  | 'languages'
  | 'expertise'
  | 'publicFields'
  | 'createdAt'
>;

type ListedDoc = Pick<MemberDoc, '_id' | keyof typeof listed | 'rev'>;

function toListed(doc: ListedDoc): ListedMember {
  return {
    id: doc._id.toHexString(),
    displayName: doc.displayName,
    avatarUrl: doc.avatarUrl ?? null,
    coverUrl: doc.coverUrl ?? null,
    country: doc.country,
    role: doc.role,
    status: doc.status,
    bio: doc.bio,
    organisation: doc.organisation,
    sector: doc.sector ?? null,
    languages: [...(doc.languages ?? [])],
    expertise: [...(doc.expertise ?? [])],
    ...(doc.publicFields ? { publicFields: [...doc.publicFields] } : {}),
    createdAt: doc.createdAt,
  };
}

/**
 * The member directory's reads over identity's `members` collection, through the multikey index
 * on `directory` (keys: people/directory-keys.ts; MemberRepository and MemberUpdates write them).
 */
@Injectable()
export class PeopleRepository implements OnApplicationBootstrap {
  private readonly model: Model<MemberDoc>;
  private readonly indexed: Promise<void>;

  constructor(mongo: MongoService) {
    // The members model under its own handle (same schema and collection as MemberRepository's).
    this.model = mongo.connection.model<MemberDoc>('Member', memberSchema, MEMBER_COLLECTION);
    this.indexed = indexesReady(this.model);
  }

  /** Members written before the directory existed get their keys once, at start. */
  async onApplicationBootstrap(): Promise<void> {
    await this.backfill();
  }

  /**
   * Writes the keys of every member that has none (conditional on the revision read, without
   * bumping it: a member written meanwhile already got fresh keys from that write). Returns how
   * many were written.
   */
  async backfill(): Promise<number> {
    await this.indexed;
    const cursor = this.model
      .find(
        { $or: [{ directory: { $exists: false } }, { listed: { $exists: false } }] },
        { ...listed, rev: 1 },
      )
      .lean<ListedDoc>()
      .cursor();
    let written = 0;
    let batch: Parameters<Model<MemberDoc>['bulkWrite']>[0] = [];
    const flush = async () => {
      if (batch.length === 0) return;
      const res = await this.model.bulkWrite(batch, { ordered: false });
      written += res.modifiedCount;
      batch = [];
    };
    for await (const doc of cursor) {
      batch.push({
        updateOne: {
          filter: { _id: doc._id, rev: doc.rev ?? 0 },
          update: { $set: directoryEntryOf(toListed(doc)) },
        },
      });
      if (batch.length >= 500) await flush();
    }
    await flush();
    return written;
  }

  /**
   * Active members holding every key, in name order. The first key is walked on the index (an
   * equality); the others are checked on what it finds.
   */
  async search(
    keys: readonly string[],
    offset: number,
    limit: number,
    excludeIds: readonly string[] = [],
  ): Promise<{ total: number; items: ListedMember[] }> {
    await this.indexed;
    const [first, ...rest] = keys;
    if (first === undefined) return { total: 0, items: [] };
    const everyone = first === ALL_KEY && rest.length === 0;
    const filter: Record<string, unknown> = everyone
      ? { listed: true }
      : rest.length > 0
        ? { directory: { $eq: first, $all: rest } }
        : { directory: first };
    if (excludeIds.length > 0)
      filter._id = { $nin: excludeIds.map((id) => new Types.ObjectId(id)) };
    // Unfiltered: on { listed, nameSort, _id } one sort field after the point is index order (ties
    // keep _id order); filtered: the multikey index finds them, sorted in memory with _id as tie.
    const sort: Record<string, 1> = everyone ? { nameSort: 1 } : { nameSort: 1, _id: 1 };
    const [total, docs] = await Promise.all([
      this.model.countDocuments(filter).exec(),
      this.model
        .find(filter, listed)
        .sort(sort)
        .skip(offset)
        .limit(limit)
        .lean<ListedDoc[]>()
        .exec(),
    ]);
    return { total, items: docs.map(toListed) };
  }

  async findActive(id: string): Promise<ListedMember | null> {
    if (!Types.ObjectId.isValid(id)) return null;
    const doc = await this.model
      .findOne({ _id: new Types.ObjectId(id), status: 'active' }, listed)
      .lean<ListedDoc>()
      .exec();
    return doc ? toListed(doc) : null;
  }
}
