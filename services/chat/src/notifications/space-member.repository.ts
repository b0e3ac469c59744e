import { Injectable } from '@nestjs/common';
import type { Model } from 'mongoose';
import { indexesReady, isDuplicateKey, MongoService } from '@agora/platform';
import type { SpaceKind, SpaceRole } from '@agora/proto';
import { oid } from '../common/object-id.js';
import {
  SPACE_MEMBER_COLLECTION,
  spaceMemberSchema,
  type SpaceMemberDoc,
} from './space-member.schema.js';

export interface MembershipChange {
  spaceId: string;
  memberId: string;
  /** Unknown on a removal (the event does not carry them): left as they were. */
  kind?: SpaceKind;
  role?: SpaceRole;
  present: boolean;
  asOf: Date;
}

/** The projection of spaces' memberships that notifications read: all its I/O. */
@Injectable()
export class SpaceMemberRepository {
  private readonly model: Model<SpaceMemberDoc>;
  private readonly indexed: Promise<void>;

  constructor(mongo: MongoService) {
    this.model = mongo.connection.model<SpaceMemberDoc>(
      'NotifySpaceMember',
      spaceMemberSchema,
      SPACE_MEMBER_COLLECTION,
    );
    this.indexed = indexesReady(this.model);
  }

  /** Applies a change unless a later one is recorded already (idempotent, order-safe). */
  async apply(c: MembershipChange): Promise<void> {
    await this.indexed;
    const key = { spaceId: oid(c.spaceId), memberId: oid(c.memberId) };
    const set = {
      present: c.present,
      asOf: c.asOf,
      ...(c.kind ? { kind: c.kind } : {}),
      ...(c.role ? { role: c.role } : {}),
    };
    const res = await this.model
      .updateOne({ ...key, asOf: { $lte: c.asOf } }, { $set: set })
      .exec();
    if (res.matchedCount > 0) return;
    try {
      await this.model.create({ ...key, kind: null, role: null, ...set });
    } catch (err) {
      // It exists with a later change: that one stands.
      if (!isDuplicateKey(err)) throw err;
    }
  }

  /** The space's present members in one of `roles` (every role when omitted). */
  async membersOf(spaceId: string, roles?: readonly SpaceRole[]): Promise<string[]> {
    const docs = await this.model
      .find(
        {
          spaceId: oid(spaceId),
          present: true,
          ...(roles ? { role: { $in: [...roles] } } : {}),
        },
        { memberId: 1 },
      )
      .lean<Pick<SpaceMemberDoc, 'memberId'>[]>()
      .exec();
    return docs.map((d) => d.memberId.toHexString());
  }
}
