import type { MessageView } from '@agora/proto';
import { toAttachmentView } from '../attachments/attachment.view.js';
import { hex } from '../common/object-id.js';
import type { NewMessage } from './message.repository.js';
import type { MessageDoc } from './message.schema.js';

/** A stored message as the API shows it: a deleted or hidden one keeps its place, empty. */
export function toMessageView(d: MessageDoc): MessageView {
  const gone = d.deleted || d.hiddenReason !== null;
  return {
    id: hex(d._id),
    channelId: hex(d.channelId),
    seq: d.seq,
    authorId: d.authorId ? hex(d.authorId) : null,
    clientMessageId: d.clientMessageId,
    body: gone ? '' : d.body,
    html: gone ? '' : d.html,
    mentionIds: gone ? [] : d.mentionIds.map(hex),
    threadOf: d.threadOf ? hex(d.threadOf) : null,
    replyCount: d.replyCount,
    reactions: gone
      ? []
      : d.reactions
          .filter((r) => r.memberIds.length > 0)
          .map((r) => ({
            emoji: r.emoji,
            count: r.memberIds.length,
            memberIds: r.memberIds.map(hex),
          })),
    attachments: gone ? [] : (d.attachments ?? []).map(toAttachmentView),
    createdAt: d.createdAt.toISOString(),
    editedAt: d.editedAt ? d.editedAt.toISOString() : null,
    deleted: d.deleted,
    hiddenReason: d.hiddenReason,
  };
}

/** The view of a message just written, without reading it back. */
export function newMessageView(m: NewMessage): MessageView {
  return {
    id: m.id,
    channelId: m.channelId,
    seq: m.seq,
    authorId: m.authorId,
    clientMessageId: m.clientMessageId,
    body: m.body,
    html: m.html,
    mentionIds: m.mentionIds,
    threadOf: m.threadOf,
    replyCount: 0,
    reactions: [],
    attachments: (m.attachments ?? []).map(toAttachmentView),
    createdAt: m.createdAt.toISOString(),
    editedAt: null,
    deleted: m.deleted,
    hiddenReason: null,
  };
}
