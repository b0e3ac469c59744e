import { Injectable } from '@nestjs/common';
import type { Model, QueryFilter, UpdateQuery } from 'mongoose';
import {
  indexesReady,
  MongoService,
  Outbox,
  type OutboxWriter,
  type PendingEvent,
} from '@agora/platform';
import { oid } from '../common/object-id.js';
import { SPACE_COLLECTION, spaceSchema, type SpaceDoc } from './space.schema.js';

export type SpaceFilter = QueryFilter<SpaceDoc>;

/** The `spaces` collection (every kind): all its I/O. */
@Injectable()
export class SpaceRepository {
  private readonly model: Model<SpaceDoc>;
  private readonly writes: OutboxWriter<SpaceDoc>;
  private readonly indexed: Promise<void>;

  constructor(mongo: MongoService, outbox: Outbox) {
    this.model = mongo.connection.model<SpaceDoc>('Space', spaceSchema, SPACE_COLLECTION);
    this.writes = outbox.for(this.model);
    this.indexed = indexesReady(this.model);
  }

  async insert(doc: Omit<SpaceDoc, 'outbox'>, events: readonly PendingEvent[]): Promise<void> {
    await this.indexed;
    await this.writes.insert(doc, events, doc.createdAt);
  }

  async findById(id: string): Promise<SpaceDoc | null> {
    return this.model.findById(oid(id), { outbox: 0 }).lean<SpaceDoc>().exec();
  }

  async findByIds(ids: readonly string[]): Promise<SpaceDoc[]> {
    if (ids.length === 0) return [];
    return this.model
      .find({ _id: { $in: [...new Set(ids)].map(oid) } }, { outbox: 0 })
      .lean<SpaceDoc[]>()
      .exec();
  }

  /**
   * Applies `update` (and bumps `rev`, `updatedAt`) when `filter` still matches the space; null
   * when it does not (someone changed it first, or the state forbids it): nothing written then.
   */
  async update(
    id: string,
    filter: SpaceFilter,
    update: UpdateQuery<SpaceDoc>,
    events: readonly PendingEvent[],
    at: Date,
  ): Promise<SpaceDoc | null> {
    const set = (update.$set ?? {}) as Record<string, unknown>;
    return this.writes.update(
      { ...filter, _id: oid(id) },
      { ...update, $set: { ...set, updatedAt: at }, $inc: { rev: 1 } },
      events,
      at,
    );
  }

  /**
   * Records the service's own bookkeeping (not something a member edited): neither `rev` nor
   * `updatedAt` moves, so a member who just read the space can still write with the `rev` they hold.
   */
  async mark(
    id: string,
    filter: SpaceFilter,
    set: Partial<SpaceDoc>,
    events: readonly PendingEvent[],
    at: Date,
  ): Promise<SpaceDoc | null> {
    return this.writes.update({ ...filter, _id: oid(id) }, { $set: set }, events, at);
  }

  /** One page of spaces matching `filter`, sorted, with the total count. */
  async page(
    filter: SpaceFilter,
    sort: Record<string, 1 | -1>,
    offset: number,
    limit: number,
  ): Promise<{ total: number; items: SpaceDoc[] }> {
    const [total, items] = await Promise.all([
      this.model.countDocuments(filter).exec(),
      this.model
        .find(filter, { outbox: 0, titlePrefixes: 0 })
        .sort(sort)
        .skip(offset)
        .limit(limit)
        .lean<SpaceDoc[]>()
        .exec(),
    ]);
    return { total, items };
  }

  /**
   * One page of the union of `base ∧ branch` over **disjoint** branches, newest first, with its
   * total. The store plans no `$or`, so each branch is its own indexed query: its count, and its
   * newest `offset + limit` ids; merged here, then only the page's documents are read in full.
   */
  async pageUnion(
    base: SpaceFilter,
    branches: readonly SpaceFilter[],
    offset: number,
    limit: number,
  ): Promise<{ total: number; items: SpaceDoc[] }> {
    const parts = await Promise.all(
      branches.map(async (branch) => {
        const filter = { ...base, ...branch };
        const [count, top] = await Promise.all([
          this.model.countDocuments(filter).exec(),
          this.model
            .find(filter, { _id: 1, createdAt: 1 })
            .sort({ createdAt: -1, _id: -1 })
            .limit(offset + limit)
            .lean<Pick<SpaceDoc, '_id' | 'createdAt'>[]>()
            .exec(),
        ]);
        return { count, top };
      }),
    );
    const ordered = parts
      .flatMap((p) => p.top)
      .sort(
        (a, b) =>
          b.createdAt.getTime() - a.createdAt.getTime() ||
          (a._id.toHexString() < b._id.toHexString() ? 1 : -1),
      );
    const pageIds = ordered.slice(offset, offset + limit).map((d) => d._id.toHexString());
    const docs = await this.model
      .find({ _id: { $in: pageIds.map(oid) } }, { outbox: 0, titlePrefixes: 0 })
      .lean<SpaceDoc[]>()
      .exec();
    const byId = new Map(docs.map((d) => [d._id.toHexString(), d]));
    return {
      total: parts.reduce((sum, p) => sum + p.count, 0),
      items: pageIds.flatMap((id) => {
        const d = byId.get(id);
        return d ? [d] : [];
      }),
    };
  }

  /** Ids of the calls matching `filter` (small sets: the calls a member owns). */
  async ids(filter: SpaceFilter): Promise<string[]> {
    const docs = await this.model.find(filter, { _id: 1 }).lean<Pick<SpaceDoc, '_id'>[]>().exec();
    return docs.map((d) => d._id.toHexString());
  }

  /** Calls whose deadline passed with no `call.closed` recorded yet. */
  async callsToClose(now: Date, limit: number): Promise<SpaceDoc[]> {
    return this.model
      .find(
        { stage: 'published', deadline: { $lte: now }, closedAt: null, kind: 'call' },
        { outbox: 0 },
      )
      .limit(limit)
      .lean<SpaceDoc[]>()
      .exec();
  }

  /**
   * Holds the space for one membership change (the last-lead check and the change must not
   * interleave with another's); false while someone else holds it.
   */
  async lockMembers(id: string, now: Date, holdMs: number): Promise<boolean> {
    const res = await this.model
      .updateOne(
        {
          _id: oid(id),
          $or: [{ membersLockedUntil: null }, { membersLockedUntil: { $lte: now } }],
        },
        { $set: { membersLockedUntil: new Date(now.getTime() + holdMs) } },
      )
      .exec();
    return res.modifiedCount === 1;
  }

  async unlockMembers(id: string): Promise<void> {
    await this.model.updateOne({ _id: oid(id) }, { $set: { membersLockedUntil: null } }).exec();
  }
}
