import { Injectable } from '@nestjs/common';
import type { Model, QueryFilter, UpdateQuery } from 'mongoose';
import {
  indexesReady,
  isDuplicateKey,
  MongoService,
  Outbox,
  type OutboxWriter,
  type PendingEvent,
} from '@agora/platform';
import type { BoardArea } from '@agora/proto';
import { oid } from '../common/object-id.js';
import { IDEA_COLLECTION, ideaSchema, type IdeaDoc } from './idea.schema.js';

export type IdeaFilter = QueryFilter<IdeaDoc>;
const hidden = { outbox: 0, titlePrefixes: 0, supporters: 0 } as const;

/** The ideas library: all its I/O. */
@Injectable()
export class IdeaRepository {
  private readonly model: Model<IdeaDoc>;
  private readonly writes: OutboxWriter<IdeaDoc>;
  private readonly indexed: Promise<void>;

  constructor(mongo: MongoService, outbox: Outbox) {
    this.model = mongo.connection.model<IdeaDoc>('Idea', ideaSchema, IDEA_COLLECTION);
    this.writes = outbox.for(this.model);
    this.indexed = indexesReady(this.model);
  }

  /** `duplicate` when the pitch is an idea already (a redelivered `pitch.added`). */
  async insert(doc: Omit<IdeaDoc, 'outbox'>): Promise<'created' | 'duplicate'> {
    await this.indexed;
    try {
      await this.writes.insert(doc, [], doc.createdAt);
      return 'created';
    } catch (err) {
      if (isDuplicateKey(err)) return 'duplicate';
      throw err;
    }
  }

  async findById(id: string): Promise<IdeaDoc | null> {
    return this.model.findById(oid(id), hidden).lean<IdeaDoc>().exec();
  }

  /** Whether the member is among the idea's supporters (one indexed read of one document). */
  async supports(id: string, memberId: string): Promise<boolean> {
    return (
      (await this.model.countDocuments({ _id: oid(id), supporters: oid(memberId) }).exec()) > 0
    );
  }

  async supportedAmong(ids: readonly string[], memberId: string): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const docs = await this.model
      .find({ _id: { $in: ids.map(oid) }, supporters: oid(memberId) }, { _id: 1 })
      .lean<Pick<IdeaDoc, '_id'>[]>()
      .exec();
    return new Set(docs.map((d) => d._id.toHexString()));
  }

  async page(
    filter: IdeaFilter,
    offset: number,
    limit: number,
  ): Promise<{ total: number; items: IdeaDoc[] }> {
    const [total, items] = await Promise.all([
      this.model.countDocuments(filter).exec(),
      this.model
        .find(filter, hidden)
        .sort({ createdAt: -1, _id: -1 })
        .skip(offset)
        .limit(limit)
        .lean<IdeaDoc[]>()
        .exec(),
    ]);
    return { total, items };
  }

  /** Applies `update` when `filter` still matches the idea, with its events; null otherwise. */
  async update(
    id: string,
    filter: IdeaFilter,
    update: UpdateQuery<IdeaDoc>,
    events: readonly PendingEvent[],
    at: Date,
  ): Promise<IdeaDoc | null> {
    const set = (update.$set ?? {}) as Record<string, unknown>;
    return this.writes.update(
      { ...filter, _id: oid(id) },
      { ...update, $set: { ...set, updatedAt: at } },
      events,
      at,
      { projection: hidden },
    );
  }

  /** The idea of a session's pitch gained accepted feedback in this area (idempotent). */
  async addArea(id: string, area: BoardArea): Promise<void> {
    await this.model.updateOne({ _id: oid(id) }, { $addToSet: { areas: area } }).exec();
  }

  /** The dots the session's vote gave each of its ideas (idempotent: the totals are set). */
  async setSessionDots(sessionId: string, pitchIndex: number, dots: number): Promise<void> {
    await this.model
      .updateOne({ sessionId: oid(sessionId), pitchIndex }, { $set: { sessionDots: dots } })
      .exec();
  }
}
