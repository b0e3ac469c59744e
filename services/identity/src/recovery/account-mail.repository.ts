import { Injectable } from '@nestjs/common';
import { Types, type Model } from 'mongoose';
import {
  indexesReady,
  MongoService,
  Outbox,
  type OutboxWriter,
  type PendingEvent,
} from '@agora/platform';
import type { UiLanguage } from '../members/member.types.js';
import {
  ACCOUNT_MAIL_COLLECTION,
  accountMailSchema,
  type AccountMailDoc,
  type AccountMailKind,
  type PendingSignup,
} from './account-mail.schema.js';

export interface AccountMailRecord {
  id: string;
  kind: AccountMailKind;
  memberId: string | null;
  to: string;
  language: UiLanguage;
  tokenHash: string;
  pendingToken: string | null;
  signup: PendingSignup | null;
  address: string | null;
  createdAt: Date;
  expiresAt: Date;
  usedAt: Date | null;
  purgeAt: Date;
}

function toRecord(doc: AccountMailDoc): AccountMailRecord {
  return {
    id: doc._id.toHexString(),
    kind: doc.kind,
    memberId: doc.memberId ? doc.memberId.toHexString() : null,
    to: doc.to,
    language: doc.language,
    tokenHash: doc.tokenHash,
    pendingToken: doc.pendingToken ?? null,
    signup: doc.signup ?? null,
    address: doc.address ?? null,
    createdAt: doc.createdAt,
    expiresAt: doc.expiresAt,
    usedAt: doc.usedAt ?? null,
    purgeAt: doc.purgeAt,
  };
}

const oid = (id: string) => new Types.ObjectId(id);

/** Account mails and the single-use links they carry (tokens stored hashed). */
@Injectable()
export class AccountMailRepository {
  private readonly model: Model<AccountMailDoc>;
  private readonly writes: OutboxWriter<AccountMailDoc>;
  /** Unique and TTL indexes built (writes that rely on them wait for this). */
  private readonly indexed: Promise<void>;

  constructor(mongo: MongoService, outbox: Outbox) {
    this.model = mongo.connection.model<AccountMailDoc>(
      'AccountMail',
      accountMailSchema,
      ACCOUNT_MAIL_COLLECTION,
    );
    this.writes = outbox.for(this.model);
    this.indexed = indexesReady(this.model);
  }

  newId(): string {
    return new Types.ObjectId().toHexString();
  }

  /** Records the mail with `account-mail.queued` in its outbox, in one write. */
  async insert(mail: AccountMailRecord, events: readonly PendingEvent[]): Promise<void> {
    await this.indexed;
    const { id, memberId, ...fields } = mail;
    await this.writes.insert(
      { _id: oid(id), memberId: memberId ? oid(memberId) : null, ...fields },
      events,
      mail.createdAt,
    );
  }

  async findById(id: string): Promise<AccountMailRecord | null> {
    if (!Types.ObjectId.isValid(id)) return null;
    const doc = await this.model.findById(id, { outbox: 0 }).lean<AccountMailDoc>().exec();
    return doc ? toRecord(doc) : null;
  }

  async findByTokenHash(tokenHash: string): Promise<AccountMailRecord | null> {
    const doc = await this.model
      .findOne({ tokenHash }, { outbox: 0 })
      .lean<AccountMailDoc>()
      .exec();
    return doc ? toRecord(doc) : null;
  }

  /**
   * Uses the link: true for the one caller that turns it from open to used before it expires;
   * every later (or concurrent) attempt gets false.
   */
  async consume(id: string, at: Date): Promise<boolean> {
    const res = await this.model
      .updateOne({ _id: oid(id), usedAt: null, expiresAt: { $gt: at } }, { $set: { usedAt: at } })
      .exec();
    return res.modifiedCount === 1;
  }

  /** Marks the member's open links of `kind` used (a newer one replaces them). */
  async supersede(memberId: string, kind: AccountMailKind, at: Date): Promise<void> {
    await this.model
      .updateMany({ memberId: oid(memberId), kind, usedAt: null }, { $set: { usedAt: at } })
      .exec();
  }

  /** The member's newest open link of `kind`, if any. */
  async findOpen(
    memberId: string,
    kind: AccountMailKind,
    now: Date,
  ): Promise<AccountMailRecord | null> {
    const doc = await this.model
      .findOne(
        { memberId: oid(memberId), kind, usedAt: null, expiresAt: { $gt: now } },
        { outbox: 0 },
      )
      .sort({ createdAt: -1 })
      .lean<AccountMailDoc>()
      .exec();
    return doc ? toRecord(doc) : null;
  }

  /** Forgets the raw token once its mail is recorded (only the hash stays). */
  async clearPendingToken(id: string): Promise<void> {
    await this.model.updateOne({ _id: oid(id) }, { $unset: { pendingToken: 1 } }).exec();
  }

  /**
   * Account deletion: the member's links and notices, and any mail to their address (their ids are
   * returned, to erase the mail records `account:<id>` too). One whose
   * event is not published yet is emptied instead (its address replaced, token and sign-up gone),
   * so the event still goes out and finds nothing to send.
   */
  async eraseFor(memberId: string, email: string, erasedAddress: string): Promise<string[]> {
    const filter = { $or: [{ memberId: oid(memberId) }, { to: email }] };
    const docs = await this.model
      .find(filter, { _id: 1 })
      .lean<Pick<AccountMailDoc, '_id'>[]>()
      .exec();
    await this.model.deleteMany({ ...filter, outbox: { $size: 0 } }).exec();
    await this.model
      .updateMany(filter, {
        $set: { to: erasedAddress, usedAt: new Date(0), signup: null, address: null },
        $unset: { pendingToken: 1 },
      })
      .exec();
    return docs.map((d) => d._id.toHexString());
  }
}
