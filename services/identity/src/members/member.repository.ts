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
import { MEMBER_COLLECTION, memberSchema, type MemberDoc } from './member.schema.js';
import type { MemberRecord } from './member.types.js';
import { directoryEntryOf } from '../people/directory-keys.js';

/**
 * Fields a service may change; `id`, `createdAt` and `rev` are managed here. `directory` and
 * `nameSort` (the directory's keys) come from MemberUpdates, computed from the state written.
 */
export type MemberChanges = Partial<Omit<MemberRecord, 'id' | 'createdAt' | 'rev'>> & {
  directory?: string[];
  nameSort?: string;
  listed?: boolean;
};

function toRecord(doc: MemberDoc): MemberRecord {
  return {
    id: doc._id.toHexString(),
    email: doc.email,
    passwordHash: doc.passwordHash,
    displayName: doc.displayName,
    bio: doc.bio,
    organisation: doc.organisation,
    sector: doc.sector ?? null,
    country: doc.country,
    languages: [...(doc.languages ?? [])],
    expertise: [...(doc.expertise ?? [])],
    preferredLanguage: doc.preferredLanguage,
    timeZone: doc.timeZone,
    avatarUrl: doc.avatarUrl ?? null,
    coverUrl: doc.coverUrl ?? null,
    role: doc.role,
    status: doc.status,
    invitedBy: doc.invitedBy ? doc.invitedBy.toHexString() : null,
    invitationId: doc.invitationId ?? null,
    profileCompletedAt: doc.profileCompletedAt ?? null,
    createdAt: doc.createdAt,
    updatedAt: doc.updatedAt,
    deletedAt: doc.deletedAt ?? null,
    rev: doc.rev ?? 0,
    ...(doc.publicFields ? { publicFields: [...doc.publicFields] } : {}),
  };
}

function toDocFields(changes: MemberChanges): Record<string, unknown> {
  const { invitedBy, ...rest } = changes;
  const out: Record<string, unknown> = { ...rest };
  if (invitedBy !== undefined)
    out.invitedBy = invitedBy === null ? null : new Types.ObjectId(invitedBy);
  return out;
}

/** Members collection; every state change carries its events in the same document write. */
@Injectable()
export class MemberRepository {
  private readonly model: Model<MemberDoc>;
  /** State changes with their events. */
  private readonly writes: OutboxWriter<MemberDoc>;
  /** Unique and TTL indexes built (writes that rely on them wait for this). */
  private readonly indexed: Promise<void>;

  constructor(mongo: MongoService, outbox: Outbox) {
    this.model = mongo.connection.model<MemberDoc>('Member', memberSchema, MEMBER_COLLECTION);
    this.writes = outbox.for(this.model);
    this.indexed = indexesReady(this.model);
  }

  newId(): string {
    return new Types.ObjectId().toHexString();
  }

  /** Inserts a new member with its events; 'duplicate-email' when the address is taken. */
  async insert(
    member: Omit<MemberRecord, 'rev'>,
    events: readonly PendingEvent[],
  ): Promise<'ok' | 'duplicate-email'> {
    await this.indexed;
    const { id, ...fields } = member;
    try {
      await this.writes.insert(
        {
          _id: new Types.ObjectId(id),
          ...toDocFields(fields),
          ...directoryEntryOf(member),
          rev: 0,
        },
        events,
        member.createdAt,
      );
    } catch (err) {
      if (isDuplicateKey(err)) return 'duplicate-email';
      throw err;
    }
    return 'ok';
  }

  async findById(id: string): Promise<MemberRecord | null> {
    if (!Types.ObjectId.isValid(id)) return null;
    const doc = await this.model.findById(id, { outbox: 0, directory: 0 }).lean<MemberDoc>().exec();
    return doc ? toRecord(doc) : null;
  }

  async findActiveByEmail(email: string): Promise<MemberRecord | null> {
    const doc = await this.model
      .findOne({ email, status: 'active' }, { outbox: 0, directory: 0 })
      .lean<MemberDoc>()
      .exec();
    return doc ? toRecord(doc) : null;
  }

  /**
   * Applies `changes` and appends `events` in one write, only if the member is still at `rev`.
   * Returns the new state, or null when someone else wrote first (the caller re-reads and retries).
   */
  async update(
    id: string,
    rev: number,
    changes: MemberChanges,
    events: readonly PendingEvent[],
    at: Date,
  ): Promise<MemberRecord | null> {
    const doc = await this.writes.update(
      { _id: new Types.ObjectId(id), rev },
      { $set: toDocFields(changes), $inc: { rev: 1 } },
      events,
      at,
    );
    return doc ? toRecord(doc) : null;
  }

  async listActive(
    offset: number,
    limit: number,
  ): Promise<{ total: number; items: MemberRecord[] }> {
    const [total, docs] = await Promise.all([
      this.model.countDocuments({ status: 'active' }).exec(),
      this.model
        .find({ status: 'active' }, { outbox: 0, directory: 0 })
        .sort({ createdAt: 1, _id: 1 })
        .skip(offset)
        .limit(limit)
        .lean<MemberDoc[]>()
        .exec(),
    ]);
    return { total, items: docs.map(toRecord) };
  }

  async countActiveAdmins(): Promise<number> {
    return this.model.countDocuments({ role: 'admin', status: 'active' }).exec();
  }

  /** Whether any member still shows this image (so a replaced or erased one can be dropped). */
  async isImageReferenced(url: string): Promise<boolean> {
    const n = await this.model
      .countDocuments({ $or: [{ avatarUrl: url }, { coverUrl: url }] })
      .exec();
    return n > 0;
  }
}
