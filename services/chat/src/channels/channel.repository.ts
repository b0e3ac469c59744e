import { Injectable, type BeforeApplicationShutdown } from '@nestjs/common';
import type { Model, mongo, Types } from 'mongoose';
import {
  indexesReady,
  isDuplicateKey,
  MongoService,
  Outbox,
  type OutboxWriter,
  type PendingEvent,
} from '@agora/platform';
import type { ChannelKind } from '@agora/proto';
import { hex, oid } from '../common/object-id.js';
import { WriteBatcher } from '../common/write-batcher.js';
import {
  CHANNEL_MEMBER_COLLECTION,
  channelMemberSchema,
  type ChannelMemberDoc,
} from './channel-member.schema.js';
import { CHANNEL_COLLECTION, channelSchema, type ChannelDoc } from './channel.schema.js';

export interface ChannelRecord {
  id: string;
  kind: ChannelKind;
  memberKey: string | null;
  lastSeq: number;
  lastMessageAt: Date | null;
}

export interface MembershipRecord {
  channelId: string;
  memberId: string;
  moderator: boolean;
  active: boolean;
  readSeq: number;
  mutedUntil: Date | null;
}

function toChannel(d: ChannelDoc): ChannelRecord {
  return {
    id: hex(d._id),
    kind: d.kind,
    memberKey: d.memberKey ?? null,
    lastSeq: d.lastSeq,
    lastMessageAt: d.lastMessageAt,
  };
}

function toMembership(d: ChannelMemberDoc): MembershipRecord {
  return {
    channelId: hex(d.channelId),
    memberId: hex(d.memberId),
    moderator: d.moderator,
    active: d.active,
    readSeq: d.readSeq,
    mutedUntil: d.mutedUntil,
  };
}

/** Reads of a channel leave out what only sends and the repairer use. */
const noPending = { pending: 0, recentSends: 0 } as const;

/**
 * Sends a channel remembers for retries (`recentSends`). A retry of an older one is still answered
 * with its message — the insert's unique index finds it — at the cost of a placeholder seq.
 */
const RECENT_SENDS = 32;

/** Channels and their members: all their I/O. */
@Injectable()
export class ChannelRepository implements BeforeApplicationShutdown {
  private readonly channels: Model<ChannelDoc>;
  private readonly members: Model<ChannelMemberDoc>;
  private readonly memberWrites: OutboxWriter<ChannelMemberDoc>;
  /** The driver's collections, for the writes of every message (no mongoose query to build). */
  private readonly channelDocs: mongo.Collection<ChannelDoc>;
  private readonly indexed: Promise<void>;
  /** Reservations done with, pulled many per write (one `updateMany` over their channels). */
  private readonly releases = new WriteBatcher<{ channelId: string; rid: string }>(
    (items) => this.pullReservations(items),
    // Nobody waits on a release: gather a tenth of a second of them.
    { lingerMs: 100 },
  );
  /**
   * Senders' read positions moved to their own messages, many per write (one bulk update). Nobody
   * waits on them either: a tenth of a second of them is gathered (at 100 messages a second one
   * write instead of one per message), and the reads that show read positions settle them first.
   */
  private readonly ownReads = new WriteBatcher<{
    channelId: string;
    memberId: string;
    seq: number;
  }>((items) => this.moveReads(items), { lingerMs: 100 });

  constructor(mongo: MongoService, outbox: Outbox) {
    this.channels = mongo.connection.model<ChannelDoc>(
      'Channel',
      channelSchema,
      CHANNEL_COLLECTION,
    );
    this.members = mongo.connection.model<ChannelMemberDoc>(
      'ChannelMember',
      channelMemberSchema,
      CHANNEL_MEMBER_COLLECTION,
    );
    this.memberWrites = outbox.for(this.members);
    this.channelDocs = this.channels.collection as unknown as mongo.Collection<ChannelDoc>;
    this.indexed = Promise.all([indexesReady(this.channels), indexesReady(this.members)]).then(
      () => undefined,
    );
  }

  /** Writes the gathered releases and read positions before the store connection closes. */
  async beforeApplicationShutdown(): Promise<void> {
    await Promise.all([this.releases.drain(), this.ownReads.drain()]);
  }

  async get(channelId: string): Promise<ChannelRecord | null> {
    const d = await this.channels.findById(oid(channelId), noPending).lean<ChannelDoc>().exec();
    return d ? toChannel(d) : null;
  }

  async getMany(ids: readonly string[]): Promise<ChannelRecord[]> {
    if (ids.length === 0) return [];
    const docs = await this.channels
      .find({ _id: { $in: ids.map(oid) } }, noPending)
      .lean<ChannelDoc[]>()
      .exec();
    return docs.map(toChannel);
  }

  /** The space's channel (its id is the space's), created on first use. */
  async ensureSpaceChannel(spaceId: string, at: Date): Promise<void> {
    await this.indexed;
    await this.channels
      .updateOne(
        { _id: oid(spaceId) },
        {
          $setOnInsert: {
            kind: 'space',
            lastSeq: 0,
            pending: [],
            lastMessageAt: null,
            createdAt: at,
          },
        },
        { upsert: true },
      )
      .exec();
  }

  /**
   * The direct channel for this sorted member set: the one that exists, or a new one. Two callers
   * racing for the same set both end with the one the unique `memberKey` index let in.
   */
  async findOrCreateDirect(memberKey: string, at: Date): Promise<{ id: string; created: boolean }> {
    await this.indexed;
    const existing = await this.channels
      .findOne({ memberKey }, { _id: 1 })
      .lean<ChannelDoc>()
      .exec();
    if (existing) return { id: hex(existing._id), created: false };
    try {
      const doc = await this.channels.create({
        kind: 'direct',
        memberKey,
        lastSeq: 0,
        pending: [],
        lastMessageAt: null,
        createdAt: at,
      });
      return { id: hex(doc._id), created: true };
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      const winner = await this.channels
        .findOne({ memberKey }, { _id: 1 })
        .lean<ChannelDoc>()
        .exec();
      if (!winner) throw err;
      return { id: hex(winner._id), created: false };
    }
  }

  /**
   * Every send, read and join asks this: through the driver's collection (the filter is typed
   * already), without the cost of building and casting a mongoose query.
   */
  async membership(channelId: string, memberId: string): Promise<MembershipRecord | null> {
    const d = await this.members.collection.findOne<ChannelMemberDoc>(
      { channelId: oid(channelId), memberId: oid(memberId) },
      { projection: { outbox: 0 } },
    );
    return d ? toMembership(d) : null;
  }

  async activeMemberships(memberId: string): Promise<MembershipRecord[]> {
    await this.ownReads.settle();
    const docs = await this.members
      .find({ memberId: oid(memberId), active: true }, { outbox: 0 })
      .lean<ChannelMemberDoc[]>()
      .exec();
    return docs.map(toMembership);
  }

  async activeMemberIds(channelId: string): Promise<string[]> {
    const docs = await this.members
      .find({ channelId: oid(channelId), active: true }, { memberId: 1 })
      .lean<ChannelMemberDoc[]>()
      .exec();
    return docs.map((d) => hex(d.memberId));
  }

  /**
   * Makes the member an active member with this moderator flag (a direct channel's member, or a
   * space member as spaces' event `sourceSeq` says). An event older than the one that set the
   * membership last changes nothing (a redelivery after a later event).
   */
  async upsertMember(
    channelId: string,
    memberId: string,
    moderator: boolean,
    at: Date,
    sourceSeq = 0,
  ): Promise<void> {
    await this.indexed;
    const filter = { channelId: oid(channelId), memberId: oid(memberId) };
    const set = { moderator, active: true, ...(sourceSeq > 0 ? { sourceSeq } : {}) };
    const updated = await this.members
      .updateOne(sourceSeq > 0 ? { ...filter, sourceSeq: { $lt: sourceSeq } } : filter, {
        $set: set,
      })
      .exec();
    if (updated.matchedCount > 0) return;
    try {
      await this.members.create({
        ...filter,
        ...set,
        readSeq: 0,
        mutedUntil: null,
        joinedAt: at,
        sourceSeq,
        outbox: [],
      });
    } catch (err) {
      // Exists already: with a newer sourceSeq (a stale redelivery) or added meanwhile.
      if (!isDuplicateKey(err)) throw err;
    }
  }

  /** Marks the member gone, with its event in the same write; false when they were not active. */
  async deactivate(
    channelId: string,
    memberId: string,
    events: readonly PendingEvent[],
    at: Date,
    sourceSeq = 0,
  ): Promise<boolean> {
    const filter = {
      channelId: oid(channelId),
      memberId: oid(memberId),
      active: true,
      ...(sourceSeq > 0 ? { sourceSeq: { $lt: sourceSeq } } : {}),
    };
    const done = await this.changingMembers([oid(channelId)], () =>
      this.memberWrites.update(
        filter,
        { $set: { active: false, ...(sourceSeq > 0 ? { sourceSeq } : {}) } },
        events,
        at,
      ),
    );
    return done !== null;
  }

  /**
   * The channel's `membersRev` (0 before its first removal or mute), null when there is no such
   * channel. A sender's membership read after it is valid while a reservation under it succeeds.
   */
  async membersRev(channelId: string): Promise<number | null> {
    const d = await this.channelDocs.findOne(
      { _id: oid(channelId) },
      { projection: { membersRev: 1 } },
    );
    return d ? (d.membersRev ?? 0) : null;
  }

  /**
   * Runs a write that removes or mutes members of these channels, moving their `membersRev` before
   * and after it: a membership remembered before the write, or read between the first move and the
   * write, no longer reserves a seq — even when the process dies between the write and the second move.
   */
  private async changingMembers<T>(
    channelIds: readonly Types.ObjectId[],
    write: () => Promise<T>,
  ): Promise<T> {
    if (channelIds.length === 0) return write();
    const move = () =>
      this.channelDocs.updateMany({ _id: { $in: [...channelIds] } }, { $inc: { membersRev: 1 } });
    await move();
    const result = await write();
    await move();
    return result;
  }

  /** Moves the read position forward only; answers the position after the write. */
  async advanceRead(channelId: string, memberId: string, seq: number): Promise<number> {
    const filter = { channelId: oid(channelId), memberId: oid(memberId) };
    const moved = await this.members
      .findOneAndUpdate(
        { ...filter, readSeq: { $lt: seq } },
        { $set: { readSeq: seq } },
        { returnDocument: 'after', projection: { readSeq: 1 } },
      )
      .lean<ChannelMemberDoc>()
      .exec();
    if (moved) return moved.readSeq;
    const d = await this.members.findOne(filter, { readSeq: 1 }).lean<ChannelMemberDoc>().exec();
    return d?.readSeq ?? 0;
  }

  /**
   * A sender has read their own message: moves their read position to `seq` (forward only), in a
   * write shared with the other senders of the moment; resolves once it is stored.
   */
  readOwnMessage(channelId: string, memberId: string, seq: number): Promise<void> {
    return this.ownReads.add({ channelId, memberId, seq });
  }

  /**
   * The membership with the read position as this process last moved it: the senders' own reads
   * still gathered are written first (a view shows `readSeq` and `unread`; the send path, which
   * needs neither, reads `membership` without waiting).
   */
  async membershipSettled(channelId: string, memberId: string): Promise<MembershipRecord | null> {
    await this.ownReads.settle();
    return this.membership(channelId, memberId);
  }

  private async moveReads(
    items: readonly { channelId: string; memberId: string; seq: number }[],
  ): Promise<void> {
    // One update per member and channel, at the highest seq asked for.
    const highest = new Map<string, { channelId: string; memberId: string; seq: number }>();
    for (const i of items) {
      const key = `${i.channelId}:${i.memberId}`;
      const seen = highest.get(key);
      if (!seen || seen.seq < i.seq) highest.set(key, i);
    }
    await this.members.collection.bulkWrite(
      [...highest.values()].map((i) => ({
        updateOne: {
          filter: {
            channelId: oid(i.channelId),
            memberId: oid(i.memberId),
            readSeq: { $lt: i.seq },
          },
          update: { $set: { readSeq: i.seq } },
        },
      })),
      { ordered: false },
    );
  }

  async setMute(channelId: string, memberId: string, until: Date | null): Promise<boolean> {
    const r = await this.changingMembers([oid(channelId)], () =>
      this.members
        .updateOne(
          { channelId: oid(channelId), memberId: oid(memberId), active: true },
          { $set: { mutedUntil: until } },
        )
        .exec(),
    );
    return r.matchedCount > 0;
  }

  /**
   * Reserves the channel's next sequence number: one atomic `$inc` on the channel, recording the
   * reservation (`rid`, time) in the same write, so a sender that dies before writing its message
   * leaves a trace the repairer finds, and the send's key among the channel's recent sends. Only
   * while the channel's `membersRev` is the one the sender's membership was read under and — when
   * `unlessRecent` — while the key is not among the recent sends (a retry). Refused: why.
   */
  async reserveSeq(
    channelId: string,
    rid: string,
    at: Date,
    membersRev: number,
    send: { key: string; unlessRecent: boolean },
  ): Promise<{ seq: number } | { refused: 'members-moved' | 'recent-send' }> {
    // Once per message: through the driver's collection, as `membership`.
    const d = await this.channelDocs.findOneAndUpdate(
      {
        _id: oid(channelId),
        // 0 is a channel nobody was removed from or muted in yet: the field is absent (only `$inc` writes it).
        membersRev: membersRev === 0 ? { $exists: false } : membersRev,
        ...(send.unlessRecent ? { recentSends: { $ne: send.key } } : {}),
      },
      {
        $inc: { lastSeq: 1 },
        $push: {
          pending: { rid, at },
          recentSends: { $each: [send.key], $slice: -RECENT_SENDS },
        },
        $set: { lastMessageAt: at },
      },
      { returnDocument: 'after', projection: { lastSeq: 1 } },
    );
    if (d) return { seq: d.lastSeq };
    if (!send.unlessRecent) return { refused: 'members-moved' };
    // Rare: tell a retry from a membership change (or a channel gone, which the re-read refuses).
    const now = await this.channelDocs.findOne(
      { _id: oid(channelId) },
      { projection: { recentSends: 1 } },
    );
    return { refused: now?.recentSends?.includes(send.key) ? 'recent-send' : 'members-moved' };
  }

  /**
   * The reservation is done with (its message written, or its seq given up): pulled in a write
   * shared with the other releases of the moment. Until then it is just an entry younger than the
   * repairer's threshold, which it ignores.
   */
  releaseSeq(channelId: string, rid: string): Promise<void> {
    return this.releases.add({ channelId, rid });
  }

  private async pullReservations(
    items: readonly { channelId: string; rid: string }[],
  ): Promise<void> {
    // Reservation ids are unique across channels: pulling them all from each channel is exact.
    const channelIds = [...new Set(items.map((i) => i.channelId))].map(oid);
    await this.channelDocs.updateMany(
      { _id: { $in: channelIds } },
      { $pull: { pending: { rid: { $in: items.map((i) => i.rid) } } } },
    );
  }

  /** Channels holding a reservation older than `before`: where a sender may have died. */
  async withStaleReservations(before: Date, limit: number): Promise<string[]> {
    const docs = await this.channels
      .find({ 'pending.at': { $lt: before } }, { _id: 1 })
      .limit(limit)
      .lean<ChannelDoc[]>()
      .exec();
    return docs.map((d) => hex(d._id));
  }

  async reservations(channelId: string): Promise<{
    lastSeq: number;
    filledThrough: number;
    pending: { rid: string; at: Date }[];
  } | null> {
    const d = await this.channels
      .findById(oid(channelId), { lastSeq: 1, filledThrough: 1, pending: 1 })
      .lean<ChannelDoc>()
      .exec();
    return d
      ? { lastSeq: d.lastSeq, filledThrough: d.filledThrough ?? 0, pending: d.pending }
      : null;
  }

  /** After a repair: drop these reservations and record that every seq up to `filledThrough` has a message. */
  async settleReservations(
    channelId: string,
    rids: readonly string[],
    filledThrough: number,
  ): Promise<void> {
    await this.channels
      .updateOne(
        { _id: oid(channelId) },
        { $pull: { pending: { rid: { $in: [...rids] } } }, $max: { filledThrough } },
      )
      .exec();
  }

  /** A deleted account leaves every channel (no event: its sessions end with the account). */
  async leaveAll(memberId: string): Promise<void> {
    const channelIds = await this.members
      .find({ memberId: oid(memberId), active: true }, { channelId: 1 })
      .lean<ChannelMemberDoc[]>()
      .exec();
    await this.changingMembers(
      channelIds.map((d) => d.channelId),
      () =>
        this.members
          .updateMany(
            { memberId: oid(memberId), active: true },
            { $set: { active: false, readSeq: 0 } },
          )
          .exec(),
    );
  }
}
