import { createHash, createHmac, randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Model } from 'mongoose';
import { indexesReady, isDuplicateKey, MongoService } from '@agora/platform';
import { hex, oid } from '../common/object-id.js';
import { SPACES_CONFIG, type SpacesConfig } from '../common/spaces-config.js';
import {
  CALENDAR_FEED_COLLECTION,
  CALENDAR_KEY_COLLECTION,
  calendarFeedSchema,
  calendarKeySchema,
  type CalendarFeedDoc,
  type CalendarKeyDoc,
} from './calendar-feed.schema.js';

const KEY_ID = 'feed-token';

export const hashToken = (token: string): string =>
  createHash('sha256').update(token).digest('hex');

/** Calendar feeds and the key their tokens are derived with: all their I/O and crypto. */
@Injectable()
export class CalendarFeedRepository {
  private readonly feeds: Model<CalendarFeedDoc>;
  private readonly keys: Model<CalendarKeyDoc>;
  private readonly indexed: Promise<void>;
  private key: Promise<Buffer> | null = null;

  constructor(
    mongo: MongoService,
    @Inject(SPACES_CONFIG) private readonly config: SpacesConfig,
  ) {
    this.feeds = mongo.connection.model<CalendarFeedDoc>(
      'CalendarFeed',
      calendarFeedSchema,
      CALENDAR_FEED_COLLECTION,
    );
    this.keys = mongo.connection.model<CalendarKeyDoc>(
      'CalendarKey',
      calendarKeySchema,
      CALENDAR_KEY_COLLECTION,
    );
    this.indexed = indexesReady(this.feeds);
  }

  /** The member's current token, issuing their feed on first use. */
  async tokenOf(memberId: string, now: Date): Promise<string> {
    await this.indexed;
    let feed = await this.feeds
      .findOne({ memberId: oid(memberId) })
      .lean<CalendarFeedDoc>()
      .exec();
    if (!feed) {
      const token = await this.derive(memberId, 0);
      try {
        await this.feeds.create({
          memberId: oid(memberId),
          generation: 0,
          tokenHash: hashToken(token),
          createdAt: now,
          updatedAt: now,
        });
        return token;
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
        feed = await this.feeds
          .findOne({ memberId: oid(memberId) })
          .lean<CalendarFeedDoc>()
          .exec();
        if (!feed) throw err;
      }
    }
    return this.derive(memberId, feed.generation);
  }

  /** A new generation: the token (and URL) of the old one stops matching at once. */
  async reset(memberId: string, now: Date): Promise<string> {
    await this.tokenOf(memberId, now);
    for (;;) {
      const feed = await this.feeds
        .findOne({ memberId: oid(memberId) })
        .lean<CalendarFeedDoc>()
        .exec();
      if (!feed) throw new Error('calendar feed vanished during a reset');
      const generation = feed.generation + 1;
      const token = await this.derive(memberId, generation);
      const res = await this.feeds
        .updateOne(
          { _id: feed._id, generation: feed.generation },
          { $set: { generation, tokenHash: hashToken(token), updatedAt: now } },
        )
        .exec();
      if (res.modifiedCount === 1) return token;
    }
  }

  /** The member whose current token this is, or null (unknown, or replaced by a reset). */
  async memberOf(token: string): Promise<string | null> {
    const feed = await this.feeds
      .findOne({ tokenHash: hashToken(token) }, { memberId: 1 })
      .lean<Pick<CalendarFeedDoc, 'memberId'>>()
      .exec();
    return feed ? hex(feed.memberId) : null;
  }

  /** HMAC-SHA-256 of member and generation, 43 base64url characters. */
  private async derive(memberId: string, generation: number): Promise<string> {
    const key = await this.feedKey();
    return createHmac('sha256', key).update(`${memberId}.${generation}`).digest('base64url');
  }

  /**
   * `CALENDAR_TOKEN_KEY` when set (production: the database alone then opens no feed); otherwise a
   * random key made once and kept in spaces' database, shared by every replica.
   */
  private feedKey(): Promise<Buffer> {
    this.key ??= (async () => {
      if (this.config.CALENDAR_TOKEN_KEY)
        return Buffer.from(this.config.CALENDAR_TOKEN_KEY, 'utf8');
      const made = randomBytes(32).toString('base64url');
      try {
        await this.keys.create({ _id: KEY_ID, key: made });
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
      }
      const doc = await this.keys.findById(KEY_ID).lean<CalendarKeyDoc>().exec();
      if (!doc) throw new Error('calendar key missing');
      return Buffer.from(doc.key, 'utf8');
    })();
    this.key.catch(() => {
      this.key = null;
    });
    return this.key;
  }
}
