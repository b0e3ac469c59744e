import { Injectable } from '@nestjs/common';
import type { Model } from 'mongoose';
import {
  indexesReady,
  isDuplicateKey,
  MongoService,
  Outbox,
  pendingEvent,
  type OutboxWriter,
} from '@agora/platform';
import { notificationEvents, type NotificationType } from '@agora/proto';
import { oid } from '../common/object-id.js';
import {
  PREFERENCES_COLLECTION,
  preferencesSchema,
  type PreferencesDoc,
} from './preferences.schema.js';

export interface Preferences {
  muted: NotificationType[];
  digest: boolean;
}

const defaults: Preferences = { muted: [], digest: false };

/** Members' notification preferences: all their I/O. */
@Injectable()
export class PreferencesRepository {
  private readonly model: Model<PreferencesDoc>;
  private readonly writes: OutboxWriter<PreferencesDoc>;
  private readonly indexed: Promise<void>;

  constructor(mongo: MongoService, outbox: Outbox) {
    this.model = mongo.connection.model<PreferencesDoc>(
      'NotificationPreferences',
      preferencesSchema,
      PREFERENCES_COLLECTION,
    );
    this.writes = outbox.for(this.model);
    this.indexed = indexesReady(this.model);
  }

  async get(memberId: string): Promise<Preferences> {
    const doc = await this.model
      .findById(oid(memberId), { muted: 1, digest: 1 })
      .lean<PreferencesDoc>()
      .exec();
    return doc ? { muted: doc.muted, digest: doc.digest } : defaults;
  }

  async set(memberId: string, prefs: Preferences, at: Date): Promise<Preferences> {
    await this.model
      .updateOne(
        { _id: oid(memberId) },
        { $set: { muted: prefs.muted, digest: prefs.digest, updatedAt: at } },
        { upsert: true },
      )
      .exec();
    return prefs;
  }

  /** Members who opted in to the digest. */
  async digestMembers(): Promise<string[]> {
    const docs = await this.model
      .find({ digest: true }, { _id: 1 })
      .lean<Pick<PreferencesDoc, '_id'>[]>()
      .exec();
    return docs.map((d) => d._id.toHexString());
  }

  /** Records a mark-read with `notifications.read` (the member's other tabs update their bell). */
  async recordRead(memberId: string, unread: number, at: Date): Promise<void> {
    await this.indexed;
    const event = pendingEvent(notificationEvents.notificationsRead, memberId, memberId, {
      memberId,
      unread,
    });
    const done = await this.writes.update(
      { _id: oid(memberId) },
      { $set: { readAt: at } },
      [event],
      at,
    );
    if (done) return;
    try {
      await this.writes.insert(
        { _id: oid(memberId), ...defaults, updatedAt: at, readAt: at },
        [event],
        at,
      );
    } catch (err) {
      // Created meanwhile (a first preferences save): write the event through it.
      if (!isDuplicateKey(err)) throw err;
      await this.writes.update({ _id: oid(memberId) }, { $set: { readAt: at } }, [event], at);
    }
  }

  async deleteOf(memberId: string): Promise<void> {
    await this.model.deleteOne({ _id: oid(memberId) }).exec();
  }
}
