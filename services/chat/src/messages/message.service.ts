import { createHash, randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { Clock, pendingEvent, RpcFailure, type VerifiedActor } from '@agora/platform';
import {
  chatEvents,
  chatLimits,
  type MessageView,
  type RpcPayload,
  type chatRpc,
} from '@agora/proto';
import { AttachmentService } from '../attachments/attachment.service.js';
import type { MessageAttachmentEntry } from '../attachments/attachment.view.js';
import { ChannelAccess } from '../channels/channel-access.service.js';
import { ChannelRepository } from '../channels/channel.repository.js';
import type { SenderMembership } from '../channels/sender-memberships.js';
import { CHAT_CONFIG, type ChatConfig } from '../common/chat-config.js';
import { newId } from '../common/object-id.js';
import { ChannelLiveRepository } from '../live/channel-live.repository.js';
import { mentionedIds, renderMarkdown } from './markdown.js';
import { MessageRepository } from './message.repository.js';
import type { MessageDoc } from './message.schema.js';
import { newMessageView, toMessageView } from './message.view.js';
import { SendBudget } from './send-budget.js';
import { SeqPlaceholders } from './seq-placeholders.service.js';
import { searchKeys, wordPrefixes } from './word-search.js';

/** A send's key among its channel's recent sends: its author and clientMessageId, hashed to a fixed size. */
function sendKey(authorId: string, clientMessageId: string): string {
  return createHash('sha256')
    .update(`${authorId}\n${clientMessageId}`)
    .digest('base64url')
    .slice(0, 22);
}

/** Attempts at a fresh seq when the repairer filled ours first (a sender stalled for seconds). */
const SEQ_ATTEMPTS = 3;

@Injectable()
export class MessageService {
  private readonly budget: SendBudget;

  constructor(
    private readonly messages: MessageRepository,
    private readonly channels: ChannelRepository,
    private readonly access: ChannelAccess,
    private readonly live: ChannelLiveRepository,
    private readonly placeholders: SeqPlaceholders,
    private readonly attachments: AttachmentService,
    private readonly clock: Clock,
    @Inject(CHAT_CONFIG) config: ChatConfig,
  ) {
    this.budget = new SendBudget(config.CHAT_SEND_BURST, config.CHAT_SEND_PER_SEC, () =>
      this.clock.now().getTime(),
    );
  }

  /**
   * Stores a message at the channel's next seq: reserve the seq (one `$inc` on the channel), then
   * insert under the unique (channelId, seq) and (channelId, authorId, clientMessageId) indexes. The
   * same clientMessageId again answers the stored message (`created: false`), even in a race.
   *
   * A plain message (no attachments, no thread) skips the read for an earlier copy: its reservation
   * is refused when its key is among the channel's recent sends, and only then is it looked up.
   */
  async send(
    actor: VerifiedActor,
    req: RpcPayload<typeof chatRpc.messageSend>,
  ): Promise<{ created: boolean; message: MessageView }> {
    const attachmentIds = req.attachmentIds ?? [];
    if (req.body === '' && attachmentIds.length === 0)
      throw new RpcFailure('VALIDATION_FAILED', 'a message needs text or an attachment');
    const key = sendKey(actor.memberId, req.clientMessageId);
    if (attachmentIds.length === 0 && !req.threadOf) {
      const sender = await this.access.sender(actor, req.channelId);
      // A muted or over-budget sender may still be retrying an earlier send: the checked way decides.
      if (!this.access.isMuted(sender.membership) && this.budget.take(actor.memberId).allowed) {
        const sent = await this.store(actor, req, { key, unlessRecent: true }, sender, null, []);
        if (sent) return sent;
        this.budget.giveBack(actor.memberId);
      }
    }
    return this.sendChecked(actor, req, key, attachmentIds);
  }

  /** The send that first looks for an earlier copy of the message (a retry reserves nothing). */
  private async sendChecked(
    actor: VerifiedActor,
    req: RpcPayload<typeof chatRpc.messageSend>,
    key: string,
    attachmentIds: string[],
  ): Promise<{ created: boolean; message: MessageView }> {
    // Both at once (the membership is often remembered: no read); what the second found is used
    // only once the first let the caller in.
    const [sender, before] = await Promise.all([
      this.access.sender(actor, req.channelId),
      this.messages.byClientId(req.channelId, actor.memberId, req.clientMessageId),
    ]);
    if (before) {
      // A remembered membership is proven by the reservation, and a retry reserves nothing.
      if (sender.remembered) await this.access.member(actor, req.channelId);
      return { created: false, message: toMessageView(before) };
    }
    this.access.requireNotMuted(sender.membership);
    const spend = this.budget.take(actor.memberId);
    if (!spend.allowed)
      throw new RpcFailure(
        'RATE_LIMITED',
        `sending too fast: retry in ${spend.retryAfterSeconds} s`,
        {
          retryAfterSeconds: spend.retryAfterSeconds,
        },
      );

    let threadOf: string | null = null;
    if (req.threadOf) {
      const parent = await this.messages.byId(req.channelId, req.threadOf);
      if (!parent || parent.authorId === null)
        throw new RpcFailure('NOT_FOUND', 'no such message to reply to in this channel');
      // Threads are one level deep: a reply to a reply joins its parent's thread.
      threadOf = parent.threadOf ? parent.threadOf.toHexString() : parent._id.toHexString();
    }
    const attachments = await this.attachments.takeForMessage(
      actor,
      req.channelId,
      attachmentIds,
      req.clientMessageId,
    );
    const sent = await this.store(
      actor,
      req,
      { key, unlessRecent: false },
      sender,
      threadOf,
      attachments,
    );
    if (!sent)
      throw new RpcFailure('INTERNAL', 'a send without its retry check was refused as one');
    return sent;
  }

  /**
   * Reserves a seq and writes the message there, then tells the room. Null when the reservation
   * was refused as a retry (`unlessRecent` and the key among the channel's recent sends).
   */
  private async store(
    actor: VerifiedActor,
    req: RpcPayload<typeof chatRpc.messageSend>,
    send: { key: string; unlessRecent: boolean },
    first: SenderMembership,
    threadOf: string | null,
    attachments: MessageAttachmentEntry[],
  ): Promise<{ created: boolean; message: MessageView } | null> {
    let sender = first;
    const mentionIds = await this.memberMentions(req.channelId, req.body, actor.memberId);
    for (let attempt = 1; attempt <= SEQ_ATTEMPTS; attempt += 1) {
      const rid = randomUUID();
      const at = this.clock.now();
      const id = newId();
      const reserved = await this.reserveAs(actor, req.channelId, rid, at, sender, send);
      if (reserved === null) return null;
      sender = reserved.sender;
      const seq = reserved.seq;
      const draft = {
        id,
        channelId: req.channelId,
        seq,
        authorId: actor.memberId,
        clientMessageId: req.clientMessageId,
        body: req.body,
        html: renderMarkdown(req.body),
        mentionIds,
        threadOf,
        wordPrefixes: wordPrefixes(req.body),
        createdAt: at,
        deleted: false,
        attachments,
      };
      // Only a message that notifies someone enters the stream: its one consumer (the notifier)
      // does nothing for the rest, and the publish, pull and delivery cost CPU per message.
      const notifies = mentionIds.length > 0 || threadOf !== null;
      const events = notifies
        ? [
            pendingEvent(chatEvents.messagePosted, actor.memberId, id, {
              messageId: id,
              channelId: req.channelId,
              seq,
              authorId: actor.memberId,
              threadOf,
              mentionIds,
            }),
          ]
        : [];
      const outcome = await this.messages.insert(draft, events);
      // The reservation is done with either way; nobody needs to wait for its removal.
      void this.channels.releaseSeq(req.channelId, rid).catch(() => undefined);
      if (outcome === 'seq-taken') continue;
      if (outcome === 'duplicate') {
        // Stored before (a concurrent retry, or one older than the recent sends): the seq reserved
        // here must not stay a gap.
        await this.placeholders.fill(req.channelId, seq);
        const stored = await this.messages.byClientId(
          req.channelId,
          actor.memberId,
          req.clientMessageId,
        );
        if (!stored) throw new RpcFailure('INTERNAL', 'message written but not found');
        return { created: false, message: toMessageView(stored) };
      }
      // Before anyone hears of it: its attachments are readable by the channel once linked.
      await this.attachments.linkToMessage(attachments, id);
      // Live first: the room hears it while the sender's read position moves on.
      const message = newMessageView(draft);
      this.live.publish(req.channelId, {
        event: 'message.created',
        payload: { channelId: req.channelId, message },
      });
      // The sender has read their own message; views settle it first, the reply need not wait.
      void this.channels.readOwnMessage(req.channelId, actor.memberId, seq).catch(() => undefined);
      if (threadOf) {
        const parent = await this.messages.bumpReplies(req.channelId, threadOf);
        if (parent)
          this.live.publish(req.channelId, {
            event: 'message.updated',
            payload: { channelId: req.channelId, message: toMessageView(parent) },
          });
      }
      return { created: true, message };
    }
    throw new RpcFailure('UNAVAILABLE', 'the channel is too busy: send again');
  }

  /**
   * The channel's next seq, reserved under the sender's membership: when the channel's `membersRev`
   * moved since it was read (a removal or mute there), the membership is read again — refusing a
   * sender no longer let in — and the reservation tried under the new one. Null: refused as a retry.
   */
  private async reserveAs(
    actor: VerifiedActor,
    channelId: string,
    rid: string,
    at: Date,
    sender: SenderMembership,
    send: { key: string; unlessRecent: boolean },
  ): Promise<{ seq: number; sender: SenderMembership } | null> {
    for (let attempt = 1; attempt <= SEQ_ATTEMPTS; attempt += 1) {
      const reserved = await this.channels.reserveSeq(channelId, rid, at, sender.membersRev, send);
      if ('seq' in reserved) return { seq: reserved.seq, sender };
      if (reserved.refused === 'recent-send') return null;
      this.access.forgetSender(actor, channelId);
      sender = await this.access.sender(actor, channelId);
      this.access.requireNotMuted(sender.membership);
    }
    throw new RpcFailure('UNAVAILABLE', 'the channel is too busy: send again');
  }

  /** Channel members the body mentions (not the author); no read when it mentions nobody. */
  private async memberMentions(
    channelId: string,
    body: string,
    authorId: string,
  ): Promise<string[]> {
    const named = mentionedIds(body).filter((id) => id !== authorId);
    if (named.length === 0) return [];
    const members = new Set(await this.channels.activeMemberIds(channelId));
    return named.filter((id) => members.has(id));
  }

  async list(actor: VerifiedActor, req: RpcPayload<typeof chatRpc.messageList>) {
    await this.access.member(actor, req.channelId);
    const { after, before, around, limit } = req.query;
    const threadOf = req.threadOf ?? null;
    if (around !== undefined) {
      const [older, newer] = await Promise.all([
        this.messages.page(req.channelId, { before: around + 1 }, limit + 1, threadOf),
        this.messages.page(req.channelId, { after: around }, limit + 1, threadOf),
      ]);
      const hasMore = older.length > limit || newer.length > limit;
      const docs = [...older.slice(0, limit).reverse(), ...newer.slice(0, limit)];
      return { messages: docs.map(toMessageView), hasMore };
    }
    const range = after !== undefined ? { after } : before !== undefined ? { before } : {};
    const docs = await this.messages.page(req.channelId, range, limit + 1, threadOf);
    return { messages: docs.slice(0, limit).map(toMessageView), hasMore: docs.length > limit };
  }

  async search(actor: VerifiedActor, req: RpcPayload<typeof chatRpc.messageSearch>) {
    await this.access.member(actor, req.channelId);
    const keys = searchKeys(req.query.q);
    if (keys.length === 0) return { messages: [] };
    const docs = await this.messages.search(req.channelId, keys, req.query.limit);
    return { messages: docs.map(toMessageView) };
  }

  /** The message, if the caller may change it (its author; moderators any). */
  private async changeable(
    actor: VerifiedActor,
    channelId: string,
    messageId: string,
  ): Promise<MessageDoc> {
    const { moderator, membership } = await this.access.member(actor, channelId);
    const message = await this.messages.byId(channelId, messageId);
    if (!message || message.authorId === null) throw new RpcFailure('NOT_FOUND', 'no such message');
    const own = message.authorId.toHexString() === actor.memberId;
    if (!own && !moderator)
      throw new RpcFailure('FORBIDDEN', 'only its author or a moderator may change it');
    if (own && !moderator) this.access.requireNotMuted(membership);
    if (message.deleted) throw new RpcFailure('INVALID_STATE', 'the message was deleted');
    return message;
  }

  async edit(
    actor: VerifiedActor,
    req: RpcPayload<typeof chatRpc.messageEdit>,
  ): Promise<MessageView> {
    await this.changeable(actor, req.channelId, req.messageId);
    const after = await this.messages.change(req.channelId, req.messageId, {
      body: req.body,
      html: renderMarkdown(req.body),
      mentionIds: await this.memberMentions(req.channelId, req.body, actor.memberId),
      wordPrefixes: wordPrefixes(req.body),
      editedAt: this.clock.now(),
    });
    if (!after) throw new RpcFailure('NOT_FOUND', 'no such message');
    const message = toMessageView(after);
    this.live.publish(req.channelId, {
      event: 'message.updated',
      payload: { channelId: req.channelId, message },
    });
    return message;
  }

  async delete(actor: VerifiedActor, req: RpcPayload<typeof chatRpc.messageDelete>): Promise<null> {
    const message = await this.changeable(actor, req.channelId, req.messageId);
    // The body leaves the database; the message keeps its seq so the sequence stays whole.
    await this.messages.change(req.channelId, req.messageId, {
      deleted: true,
      body: '',
      html: '',
      mentionIds: [],
      wordPrefixes: [],
      attachments: [],
    });
    await this.attachments.dropOfMessage(req.messageId);
    this.live.publish(req.channelId, {
      event: 'message.deleted',
      payload: { channelId: req.channelId, messageId: req.messageId, seq: message.seq },
    });
    return null;
  }

  async react(
    actor: VerifiedActor,
    req: RpcPayload<typeof chatRpc.reactionSet>,
  ): Promise<MessageView> {
    await this.access.member(actor, req.channelId);
    const existing = await this.messages.byId(req.channelId, req.messageId);
    if (!existing || existing.authorId === null || existing.deleted)
      throw new RpcFailure('NOT_FOUND', 'no such message');
    const after = await this.messages.react(
      req.channelId,
      req.messageId,
      req.emoji,
      actor.memberId,
      req.on,
      chatLimits.reactionsMax,
    );
    if (after === 'too-many')
      throw new RpcFailure(
        'CONFLICT',
        `a message holds at most ${chatLimits.reactionsMax} different emoji`,
      );
    if (!after) throw new RpcFailure('NOT_FOUND', 'no such message');
    const message = toMessageView(after);
    this.live.publish(req.channelId, {
      event: 'reaction.changed',
      payload: { channelId: req.channelId, messageId: req.messageId, reactions: message.reactions },
    });
    return message;
  }

  async report(actor: VerifiedActor, req: RpcPayload<typeof chatRpc.messageReport>): Promise<null> {
    await this.access.member(actor, req.channelId);
    const existing = await this.messages.byId(req.channelId, req.messageId);
    if (!existing || existing.authorId === null)
      throw new RpcFailure('NOT_FOUND', 'no such message');
    const at = this.clock.now();
    // A second report by the same member changes nothing.
    await this.messages.report(req.channelId, req.messageId, actor.memberId, req.reason, at, [
      pendingEvent(chatEvents.messageReported, actor.memberId, req.messageId, {
        messageId: req.messageId,
        channelId: req.channelId,
        reporterId: actor.memberId,
      }),
    ]);
    return null;
  }

  async hide(
    actor: VerifiedActor,
    req: RpcPayload<typeof chatRpc.messageHide>,
  ): Promise<MessageView> {
    await this.access.moderator(actor, req.channelId);
    const after = await this.messages.change(req.channelId, req.messageId, {
      hiddenReason: req.reason,
      hiddenBy: actor.memberId,
    });
    if (!after || after.authorId === null) throw new RpcFailure('NOT_FOUND', 'no such message');
    const message = toMessageView(after);
    this.live.publish(req.channelId, {
      event: 'message.updated',
      payload: { channelId: req.channelId, message },
    });
    return message;
  }
}
