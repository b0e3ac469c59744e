import { Injectable } from '@nestjs/common';
import type { Model, QueryFilter } from 'mongoose';
import {
  indexesReady,
  isDuplicateKey,
  MongoService,
  Outbox,
  pendingEvent,
  type OutboxWriter,
} from '@agora/platform';
import { notificationEvents, type NotificationTarget, type NotificationType } from '@agora/proto';
import { newId, oid } from '../common/object-id.js';
import {
  ACTORS_KEPT,
  NOTIFICATION_COLLECTION,
  notificationSchema,
  SOURCES_KEPT,
  type NotificationDoc,
} from './notification.schema.js';

/** One source event's claim on a member's notification. */
export interface Raise {
  memberId: string;
  type: NotificationType;
  /** Collapse key: repeats on it grow one notification. */
  key: string;
  target: NotificationTarget;
  actorId: string | null;
  /** The source event's id (or a stable id of a scheduled reminder): counted once. */
  sourceId: string;
}

export interface ListFilter {
  memberId: string;
  before?: { at: Date; id: string };
  unreadOnly: boolean;
  limit: number;
}

/**
 * Retries of an optimistic write that lost a race with another source on the same key, each after a
 * short random pause so racing writers spread out (past them the event is handed back and retried).
 */
const MAX_ATTEMPTS = 40;
const pause = (attempt: number) =>
  new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(50, 2 * attempt)));

/** Notifications: all their I/O. */
@Injectable()
export class NotificationRepository {
  private readonly model: Model<NotificationDoc>;
  private readonly writes: OutboxWriter<NotificationDoc>;
  private readonly indexed: Promise<void>;

  constructor(mongo: MongoService, outbox: Outbox) {
    this.model = mongo.connection.model<NotificationDoc>(
      'Notification',
      notificationSchema,
      NOTIFICATION_COLLECTION,
    );
    this.writes = outbox.for(this.model);
    this.indexed = indexesReady(this.model);
  }

  unreadCount(memberId: string): Promise<number> {
    return this.model.countDocuments({ memberId: oid(memberId), read: false }).exec();
  }

  /**
   * Creates the member's notification for `r.key`, or grows it (unread again, one more in `count`),
   * with `notification.created` in the same write. Null when this source was counted already.
   */
  async raise(r: Raise, at: Date): Promise<NotificationDoc | null> {
    await this.indexed;
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      if (attempt > 0) await pause(attempt);
      const existing = await this.model
        .findOne({ memberId: oid(r.memberId), key: r.key }, { outbox: 0 })
        .lean<NotificationDoc>()
        .exec();
      const unreadBefore = await this.unreadCount(r.memberId);
      if (!existing) {
        const id = newId();
        const doc = {
          _id: oid(id),
          memberId: oid(r.memberId),
          key: r.key,
          type: r.type,
          target: r.target,
          count: 1,
          actorIds: r.actorId ? [oid(r.actorId)] : [],
          sources: [r.sourceId],
          read: false,
          createdAt: at,
          updatedAt: at,
        };
        try {
          await this.writes.insert(doc, [this.created(id, r, 1, unreadBefore + 1)], at);
          return { ...doc, outbox: [] };
        } catch (err) {
          if (isDuplicateKey(err)) continue; // another source created it meanwhile: grow it
          throw err;
        }
      }
      if (existing.sources.includes(r.sourceId)) return null;
      // A read notification starts counting again from one; an unread one grows.
      const count = existing.read ? 1 : existing.count + 1;
      const actors = r.actorId
        ? [
            r.actorId,
            ...existing.actorIds.map((a) => a.toHexString()).filter((a) => a !== r.actorId),
          ]
        : existing.actorIds.map((a) => a.toHexString());
      const unread = existing.read ? unreadBefore + 1 : unreadBefore;
      const grown = await this.writes.update(
        // Optimistic: only the state this was computed from (a concurrent source retries).
        {
          _id: existing._id,
          count: existing.count,
          read: existing.read,
          updatedAt: existing.updatedAt,
        },
        {
          $set: {
            count,
            read: false,
            target: r.target,
            updatedAt: at,
            actorIds: actors.slice(0, ACTORS_KEPT).map(oid),
            sources: [...existing.sources, r.sourceId].slice(-SOURCES_KEPT),
          },
        },
        [this.created(existing._id.toHexString(), r, count, unread)],
        at,
      );
      if (grown) return grown;
    }
    throw new Error(`notification ${r.key} kept changing under ${MAX_ATTEMPTS} attempts`);
  }

  private created(id: string, r: Raise, count: number, unread: number) {
    return pendingEvent(notificationEvents.notificationCreated, r.actorId, id, {
      notificationId: id,
      memberId: r.memberId,
      type: r.type,
      count,
      unread,
    });
  }

  /** A page, most recently raised first, one more than asked. */
  page(f: ListFilter): Promise<NotificationDoc[]> {
    const query: QueryFilter<NotificationDoc> = { memberId: oid(f.memberId) };
    if (f.unreadOnly) query.read = false;
    if (f.before)
      query.$or = [
        { updatedAt: { $lt: f.before.at } },
        { updatedAt: f.before.at, _id: { $lt: oid(f.before.id) } },
      ];
    return this.model
      .find(query, { outbox: 0, sources: 0 })
      .sort({ updatedAt: -1, _id: -1 })
      .limit(f.limit + 1)
      .lean<NotificationDoc[]>()
      .exec();
  }

  /** Marks the member's own (ids among them, or all) read; how many changed. */
  async markRead(memberId: string, ids: readonly string[] | 'all'): Promise<number> {
    const filter: QueryFilter<NotificationDoc> = { memberId: oid(memberId), read: false };
    if (ids !== 'all') filter._id = { $in: ids.map(oid) };
    const res = await this.model.updateMany(filter, { $set: { read: true } }).exec();
    return res.modifiedCount;
  }

  /** Unread notifications per type raised after `since`, for a digest. */
  async unreadByTypeSince(memberId: string, since: Date): Promise<Map<NotificationType, number>> {
    const rows = await this.model
      .find({ memberId: oid(memberId), read: false, updatedAt: { $gt: since } }, { type: 1 })
      .lean<Pick<NotificationDoc, 'type'>[]>()
      .exec();
    const counts = new Map<NotificationType, number>();
    for (const r of rows) counts.set(r.type, (counts.get(r.type) ?? 0) + 1);
    return counts;
  }

  /** An erased member's notifications go with them. */
  async deleteOf(memberId: string): Promise<void> {
    await this.model.deleteMany({ memberId: oid(memberId) }).exec();
  }
}
