import { Injectable } from '@nestjs/common';
import { Types, type Model, type QueryFilter } from 'mongoose';
import {
  indexesReady,
  isDuplicateKey,
  MongoService,
  Outbox,
  type OutboxWriter,
  type PendingEvent,
} from '@agora/platform';
import type { MessageAttachmentEntry } from '../attachments/attachment.view.js';
import { oid } from '../common/object-id.js';
import { MESSAGE_COLLECTION, messageSchema, type MessageDoc } from './message.schema.js';

export interface NewMessage {
  /** Chosen before the write, so the events written with it can name it. */
  id: string;
  channelId: string;
  seq: number;
  authorId: string | null;
  clientMessageId: string;
  body: string;
  html: string;
  mentionIds: string[];
  threadOf: string | null;
  wordPrefixes: string[];
  createdAt: Date;
  deleted: boolean;
  attachments?: MessageAttachmentEntry[];
}

export interface MessagePatch {
  body?: string;
  html?: string;
  mentionIds?: string[];
  wordPrefixes?: string[];
  editedAt?: Date;
  deleted?: boolean;
  hiddenReason?: string;
  hiddenBy?: string;
  attachments?: MessageAttachmentEntry[];
}

const hidden = { outbox: 0, wordPrefixes: 0, reports: 0 } as const;

/** Messages: all their I/O. */
@Injectable()
export class MessageRepository {
  private readonly model: Model<MessageDoc>;
  private readonly writes: OutboxWriter<MessageDoc>;
  private readonly indexed: Promise<void>;

  constructor(mongo: MongoService, outbox: Outbox) {
    this.model = mongo.connection.model<MessageDoc>('Message', messageSchema, MESSAGE_COLLECTION);
    this.writes = outbox.for(this.model);
    this.indexed = indexesReady(this.model);
  }

  async byClientId(
    channelId: string,
    authorId: string,
    clientMessageId: string,
  ): Promise<MessageDoc | null> {
    // Asked before every send: through the driver's collection (no mongoose query to build).
    return this.model.collection.findOne<MessageDoc>(
      { channelId: oid(channelId), authorId: oid(authorId), clientMessageId },
      { projection: hidden },
    );
  }

  async byId(channelId: string, messageId: string): Promise<MessageDoc | null> {
    return this.model
      .findOne({ _id: oid(messageId), channelId: oid(channelId) }, hidden)
      .lean<MessageDoc>()
      .exec();
  }

  /**
   * Writes the message at its reserved seq with its events. `seq-taken`: the repairer filled the seq
   * first (this sender was too slow) — reserve again; `duplicate`: this author's clientMessageId is
   * already stored (a concurrent retry) — answer that one.
   */
  async insert(
    m: NewMessage,
    events: readonly PendingEvent[],
  ): Promise<'inserted' | 'seq-taken' | 'duplicate'> {
    await this.indexed;
    try {
      await this.writes.insert(
        {
          _id: oid(m.id),
          channelId: oid(m.channelId),
          seq: m.seq,
          authorId: m.authorId ? oid(m.authorId) : null,
          clientMessageId: m.clientMessageId,
          body: m.body,
          html: m.html,
          mentionIds: m.mentionIds.map(oid),
          threadOf: m.threadOf ? oid(m.threadOf) : null,
          replyCount: 0,
          reactions: [],
          attachments: m.attachments ?? [],
          wordPrefixes: m.wordPrefixes,
          createdAt: m.createdAt,
          editedAt: null,
          deleted: m.deleted,
          hiddenReason: null,
          hiddenBy: null,
          reports: [],
        },
        events,
        m.createdAt,
        // Every field is given, typed as stored: no mongoose document to build per message.
        { complete: true },
      );
      return 'inserted';
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      const byClient =
        m.authorId === null
          ? null
          : await this.byClientId(m.channelId, m.authorId, m.clientMessageId);
      return byClient ? 'duplicate' : 'seq-taken';
    }
  }

  /**
   * Fills a seq nobody will write with an empty placeholder (no author), so the sequence has no
   * gap; false when a message holds the seq already.
   */
  async fillPlaceholder(channelId: string, seq: number, at: Date): Promise<boolean> {
    const outcome = await this.insert(
      {
        id: new Types.ObjectId().toHexString(),
        channelId,
        seq,
        authorId: null,
        clientMessageId: `placeholder-${seq}`,
        body: '',
        html: '',
        mentionIds: [],
        threadOf: null,
        wordPrefixes: [],
        createdAt: at,
        deleted: true,
      },
      [],
    );
    return outcome === 'inserted';
  }

  async bySeq(channelId: string, seq: number): Promise<MessageDoc | null> {
    return this.model
      .findOne({ channelId: oid(channelId), seq }, hidden)
      .lean<MessageDoc>()
      .exec();
  }

  /** A page by seq: ascending from `after`, descending from `before` (or the newest). */
  async page(
    channelId: string,
    range: { after?: number; before?: number },
    limit: number,
    threadOf: string | null,
  ): Promise<MessageDoc[]> {
    // The channel's history holds every seq, thread replies too (a catch-up sees no gaps).
    const filter: QueryFilter<MessageDoc> = threadOf
      ? { threadOf: oid(threadOf), channelId: oid(channelId) }
      : { channelId: oid(channelId) };
    const seq: Record<string, number> = {};
    if (range.after !== undefined) seq.$gt = range.after;
    if (range.before !== undefined) seq.$lt = range.before;
    if (Object.keys(seq).length > 0) filter.seq = seq;
    return this.model
      .find(filter, hidden)
      .sort({ seq: range.after !== undefined ? 1 : -1 })
      .limit(limit)
      .lean<MessageDoc[]>()
      .exec();
  }

  /** Seqs present in (from, to] (the repairer's scan), ascending, with their creation time. */
  async seqsBetween(
    channelId: string,
    from: number,
    to: number,
  ): Promise<{ seq: number; createdAt: Date }[]> {
    const docs = await this.model
      .find({ channelId: oid(channelId), seq: { $gt: from, $lte: to } }, { seq: 1, createdAt: 1 })
      .sort({ seq: 1 })
      .lean<MessageDoc[]>()
      .exec();
    return docs.map((d) => ({ seq: d.seq, createdAt: d.createdAt }));
  }

  /** Messages whose word prefixes hold every key, newest first. */
  async search(channelId: string, keys: readonly string[], limit: number): Promise<MessageDoc[]> {
    return this.model
      .find(
        {
          wordPrefixes: { $all: [...keys] },
          channelId: oid(channelId),
          deleted: false,
          hiddenReason: null,
        },
        hidden,
      )
      .sort({ seq: -1 })
      .limit(limit)
      .lean<MessageDoc[]>()
      .exec();
  }

  /** Applies a change to one message, answering it after the write (null: no such message). */
  async change(
    channelId: string,
    messageId: string,
    patch: MessagePatch,
  ): Promise<MessageDoc | null> {
    const { mentionIds, hiddenBy, ...rest } = patch;
    const set: Record<string, unknown> = { ...rest };
    if (mentionIds) set.mentionIds = mentionIds.map(oid);
    if (hiddenBy) set.hiddenBy = oid(hiddenBy);
    return this.model
      .findOneAndUpdate(
        { _id: oid(messageId), channelId: oid(channelId) },
        { $set: set },
        { returnDocument: 'after', projection: hidden },
      )
      .lean<MessageDoc>()
      .exec();
  }

  async bumpReplies(channelId: string, messageId: string): Promise<MessageDoc | null> {
    return this.model
      .findOneAndUpdate(
        { _id: oid(messageId), channelId: oid(channelId) },
        { $inc: { replyCount: 1 } },
        { returnDocument: 'after', projection: hidden },
      )
      .lean<MessageDoc>()
      .exec();
  }

  /**
   * Adds or removes the member under an emoji, atomically on the one document: adding uses
   * `$addToSet` on an existing entry, or pushes a new entry when none has the emoji yet (guarded,
   * so two first reactions never make two entries); empty entries are pulled.
   */
  async react(
    channelId: string,
    messageId: string,
    emoji: string,
    memberId: string,
    on: boolean,
    maxEmoji: number,
  ): Promise<MessageDoc | null | 'too-many'> {
    const base = { _id: oid(messageId), channelId: oid(channelId) };
    const opts = { returnDocument: 'after' as const, projection: hidden };
    const member = oid(memberId);
    if (!on) {
      const after = await this.model
        .findOneAndUpdate(
          { ...base, 'reactions.emoji': emoji },
          { $pull: { 'reactions.$.memberIds': member } },
          opts,
        )
        .lean<MessageDoc>()
        .exec();
      if (after) {
        const cleaned = await this.model
          .findOneAndUpdate(
            { ...base },
            { $pull: { reactions: { memberIds: { $size: 0 } } } },
            opts,
          )
          .lean<MessageDoc>()
          .exec();
        return cleaned;
      }
      return this.model.findOne(base, hidden).lean<MessageDoc>().exec();
    }
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const added = await this.model
        .findOneAndUpdate(
          { ...base, 'reactions.emoji': emoji },
          { $addToSet: { 'reactions.$.memberIds': member } },
          opts,
        )
        .lean<MessageDoc>()
        .exec();
      if (added) return added;
      const current = await this.model.findOne(base, { reactions: 1 }).lean<MessageDoc>().exec();
      if (!current) return null;
      if (current.reactions.length >= maxEmoji) return 'too-many';
      const pushed = await this.model
        .findOneAndUpdate(
          {
            ...base,
            'reactions.emoji': { $ne: emoji },
            reactions: { $size: current.reactions.length },
          },
          { $push: { reactions: { emoji, memberIds: [member] } } },
          opts,
        )
        .lean<MessageDoc>()
        .exec();
      if (pushed) return pushed;
    }
    return this.model.findOne(base, hidden).lean<MessageDoc>().exec();
  }

  async report(
    channelId: string,
    messageId: string,
    reporterId: string,
    reason: string,
    at: Date,
    events: readonly PendingEvent[],
  ): Promise<boolean> {
    const done = await this.writes.update(
      {
        _id: oid(messageId),
        channelId: oid(channelId),
        'reports.reporterId': { $ne: oid(reporterId) },
      },
      { $push: { reports: { reporterId: oid(reporterId), reason, at } } },
      events,
      at,
    );
    return done !== null;
  }

  // --- erasure of a deleted account (each write repeatable) ---

  /** Empties every message they wrote; each keeps its seq, so the sequences stay whole. */
  async blankAuthored(memberId: string): Promise<number> {
    const r = await this.model
      .updateMany(
        // not yet blank: a body, or (attachments only) not yet deleted
        { authorId: oid(memberId), $or: [{ body: { $ne: '' } }, { deleted: false }] },
        {
          $set: {
            body: '',
            html: '',
            mentionIds: [],
            wordPrefixes: [],
            attachments: [],
            deleted: true,
          },
        },
      )
      .exec();
    return r.modifiedCount;
  }

  async dropReports(memberId: string): Promise<void> {
    await this.model
      .updateMany(
        { 'reports.reporterId': oid(memberId) },
        { $pull: { reports: { reporterId: oid(memberId) } } },
      )
      .exec();
  }

  /** Others' messages that mention them: their body, to take the member's name out. */
  async mentioning(memberId: string): Promise<{ id: string; body: string }[]> {
    const docs = await this.model
      .find({ mentionIds: oid(memberId) }, { body: 1 })
      .lean<MessageDoc[]>()
      .exec();
    return docs.map((d) => ({ id: d._id.toHexString(), body: d.body }));
  }

  async rewrite(
    messageId: string,
    body: string,
    html: string,
    wordPrefixes: string[],
    memberId: string,
  ): Promise<void> {
    await this.model
      .updateOne(
        { _id: oid(messageId) },
        { $set: { body, html, wordPrefixes }, $pull: { mentionIds: oid(memberId) } },
      )
      .exec();
  }
}
