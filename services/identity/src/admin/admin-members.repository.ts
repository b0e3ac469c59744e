import { Injectable } from '@nestjs/common';
import { Types, type Model, type QueryFilter } from 'mongoose';
import { MongoService } from '@agora/platform';
import { MEMBER_COLLECTION, memberSchema, type MemberDoc } from '../members/member.schema.js';
import type { MemberRecord } from '../members/member.types.js';

export interface AdminMemberQuery {
  /** Part of the display name or the email, any case. */
  q?: string | undefined;
  /** Only these members (the "suspended" filter); an empty list finds nobody. */
  ids?: readonly string[] | undefined;
  /** Or everyone but these (the "active" filter). */
  notIds?: readonly string[] | undefined;
  invitedBy?: string | undefined;
}

/** What the admin list shows of a member (never the password hash). */
export type AdminMemberRow = Pick<
  MemberRecord,
  | 'id'
  | 'displayName'
  | 'bio'
  | 'organisation'
  | 'sector'
  | 'country'
  | 'languages'
  | 'expertise'
  | 'avatarUrl'
  | 'coverUrl'
  | 'role'
  | 'email'
  | 'createdAt'
  | 'invitedBy'
>;

type RowDoc = Omit<AdminMemberRow, 'id' | 'invitedBy'> & {
  _id: Types.ObjectId;
  invitedBy: Types.ObjectId | null;
};

const rowProjection = {
  displayName: 1,
  bio: 1,
  organisation: 1,
  sector: 1,
  country: 1,
  languages: 1,
  expertise: 1,
  avatarUrl: 1,
  coverUrl: 1,
  role: 1,
  email: 1,
  createdAt: 1,
  invitedBy: 1,
} as const;

function toRow(d: RowDoc): AdminMemberRow {
  return {
    id: d._id.toHexString(),
    displayName: d.displayName,
    bio: d.bio ?? '',
    organisation: d.organisation ?? '',
    sector: d.sector ?? null,
    country: d.country,
    languages: [...(d.languages ?? [])],
    expertise: [...(d.expertise ?? [])],
    avatarUrl: d.avatarUrl ?? null,
    coverUrl: d.coverUrl ?? null,
    role: d.role,
    email: d.email,
    createdAt: d.createdAt,
    invitedBy: d.invitedBy ? d.invitedBy.toHexString() : null,
  };
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The admin members page's reads over identity's own members collection: search, filters and the
 * inviters' names. Reads only; every member write goes through MemberRepository.
 */
@Injectable()
export class AdminMembersRepository {
  private readonly model: Model<MemberDoc>;

  constructor(mongo: MongoService) {
    this.model = mongo.connection.model<MemberDoc>('Member', memberSchema, MEMBER_COLLECTION);
  }

  /** The matching members (not deleted), oldest first, paged, and how many match. */
  async search(
    query: AdminMemberQuery,
    offset: number,
    limit: number,
  ): Promise<{ total: number; items: AdminMemberRow[] }> {
    const filter: QueryFilter<MemberDoc> = { status: 'active' };
    const and: QueryFilter<MemberDoc>[] = [];
    if (query.q) {
      const pattern = escapeRegex(query.q);
      and.push({
        $or: [
          { displayName: { $regex: pattern, $options: 'i' } },
          { email: { $regex: pattern, $options: 'i' } },
        ],
      });
    }
    if (query.ids) and.push({ _id: { $in: query.ids.map((id) => new Types.ObjectId(id)) } });
    if (query.notIds?.length)
      and.push({ _id: { $nin: query.notIds.map((id) => new Types.ObjectId(id)) } });
    if (query.invitedBy) and.push({ invitedBy: new Types.ObjectId(query.invitedBy) });
    if (and.length > 0) filter.$and = and;
    const [total, docs] = await Promise.all([
      this.model.countDocuments(filter).exec(),
      this.model
        .find(filter, rowProjection)
        .sort({ createdAt: 1, _id: 1 })
        .skip(offset)
        .limit(limit)
        .lean<RowDoc[]>()
        .exec(),
    ]);
    return { total, items: docs.map(toRow) };
  }

  async findRow(id: string): Promise<AdminMemberRow | null> {
    if (!Types.ObjectId.isValid(id)) return null;
    const doc = await this.model
      .findOne({ _id: new Types.ObjectId(id), status: 'active' }, rowProjection)
      .lean<RowDoc>()
      .exec();
    return doc ? toRow(doc) : null;
  }

  /** Names of these members (inviters, suspending admins); deleted ones are left out. */
  async names(ids: readonly string[]): Promise<Map<string, string>> {
    const valid = [...new Set(ids)].filter((id) => Types.ObjectId.isValid(id));
    if (valid.length === 0) return new Map();
    const docs = await this.model
      .find(
        { _id: { $in: valid.map((id) => new Types.ObjectId(id)) }, status: 'active' },
        { displayName: 1 },
      )
      .lean<Pick<MemberDoc, '_id' | 'displayName'>[]>()
      .exec();
    return new Map(docs.map((d) => [d._id.toHexString(), d.displayName]));
  }
}
