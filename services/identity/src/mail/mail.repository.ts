import { Injectable } from '@nestjs/common';
import type { Model } from 'mongoose';
import { MongoService, indexesReady, isDuplicateKey } from '@agora/platform';
import { MAIL_COLLECTION, mailSchema, type MailDoc } from './mail.schema.js';

export interface MailRecord {
  id: string;
  key: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  transport: 'smtp' | 'dev-mailbox';
  status: 'sending' | 'sent' | 'failed';
  error: string | null;
  createdAt: Date;
}

export type NewMail = Omit<MailRecord, 'id'>;

function toRecord(doc: MailDoc): MailRecord {
  return {
    id: doc._id.toHexString(),
    key: doc.key,
    to: doc.to,
    subject: doc.subject,
    text: doc.text,
    html: doc.html,
    transport: doc.transport,
    status: doc.status,
    error: doc.error ?? null,
    createdAt: doc.createdAt,
  };
}

/** The record of every mail identity sends (and the dev mailbox itself). */
@Injectable()
export class MailRepository {
  private readonly model: Model<MailDoc>;
  /** Unique and TTL indexes built (writes that rely on them wait for this). */
  private readonly indexed: Promise<void>;

  constructor(mongo: MongoService) {
    this.model = mongo.connection.model<MailDoc>('Mail', mailSchema, MAIL_COLLECTION);
    this.indexed = indexesReady(this.model);
  }

  async findByKey(key: string): Promise<MailRecord | null> {
    const doc = await this.model.findOne({ key }).lean<MailDoc>().exec();
    return doc ? toRecord(doc) : null;
  }

  /** Inserts the mail unless one with its key exists; true when this call inserted it. */
  async insertOnce(mail: NewMail, at: Date, leaseUntil: Date | null): Promise<boolean> {
    await this.indexed;
    try {
      await this.model.create({
        ...mail,
        attempts: 0,
        leaseUntil,
        sentAt: mail.status === 'sent' ? at : null,
      });
      return true;
    } catch (err) {
      if (isDuplicateKey(err)) return false;
      throw err;
    }
  }

  /**
   * Takes the right to send `key` until `leaseUntil`: false when it was already sent or another
   * attempt holds an unexpired lease (two deliveries of one event must not both send).
   */
  async lease(key: string, now: Date, leaseUntil: Date): Promise<boolean> {
    const res = await this.model
      .updateOne(
        {
          key,
          status: { $ne: 'sent' },
          $or: [{ leaseUntil: null }, { leaseUntil: { $lte: now } }],
        },
        { $set: { status: 'sending', leaseUntil }, $inc: { attempts: 1 } },
      )
      .exec();
    return res.modifiedCount === 1;
  }

  async markSent(key: string, at: Date): Promise<void> {
    await this.model
      .updateOne({ key }, { $set: { status: 'sent', sentAt: at, error: null, leaseUntil: null } })
      .exec();
  }

  async markFailed(key: string, error: string): Promise<void> {
    await this.model
      .updateOne({ key }, { $set: { status: 'failed', error, leaseUntil: null } })
      .exec();
  }

  /** Mail that left (or failed to), newest first; in-flight attempts are not listed. */
  async list(offset: number, limit: number): Promise<{ total: number; items: MailRecord[] }> {
    const filter = { status: { $in: ['sent' as const, 'failed' as const] } };
    const [total, docs] = await Promise.all([
      this.model.countDocuments(filter).exec(),
      this.model
        .find(filter)
        .sort({ createdAt: -1, _id: -1 })
        .skip(offset)
        .limit(limit)
        .lean<MailDoc[]>()
        .exec(),
    ]);
    return { total, items: docs.map(toRecord) };
  }

  async deleteByKeys(keys: readonly string[]): Promise<void> {
    if (keys.length > 0) await this.model.deleteMany({ key: { $in: [...keys] } }).exec();
  }

  /** Erases every mail sent to `address` (a deleted member's), whatever it was about. */
  async deleteTo(address: string): Promise<void> {
    await this.model.deleteMany({ to: address }).exec();
  }
}
