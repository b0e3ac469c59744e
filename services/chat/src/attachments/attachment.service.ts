import { UploadRepository } from '@agora/platform';
import { Inject, Injectable } from '@nestjs/common';
import {
  Clock,
  PLATFORM_LOGGER,
  RpcFailure,
  type Logger,
  type VerifiedActor,
} from '@agora/platform';
import {
  attachmentLimits,
  forumImagePath,
  type AttachmentView,
  type ForumImageView,
  type RpcPayload,
  type attachmentRpc,
} from '@agora/proto';
import { ChannelAccess } from '../channels/channel-access.service.js';
import { CHAT_CONFIG, type ChatConfig } from '../common/chat-config.js';
import { hex, newId } from '../common/object-id.js';
import { MessageRepository } from '../messages/message.repository.js';
import { AttachmentImageRepository, ImageRejected } from './attachment-image.repository.js';
import { AttachmentRepository, chunkCount } from './attachment.repository.js';
import type { AttachmentDoc } from './attachment.schema.js';
import { toAttachmentView, type MessageAttachmentEntry } from './attachment.view.js';
import { pdfProblem, sniff, storedAs, storedName } from './content-check.js';

const ACCEPTED = 'JPEG, PNG, WebP, GIF or PDF';
const MiB = 1024 * 1024;

/** Chat's attachments: checked by content, stored in chat's own database, shown to the channel. */
@Injectable()
export class AttachmentService {
  constructor(
    private readonly attachments: AttachmentRepository,
    private readonly uploads: UploadRepository,
    private readonly images: AttachmentImageRepository,
    private readonly access: ChannelAccess,
    private readonly messages: MessageRepository,
    private readonly clock: Clock,
    @Inject(CHAT_CONFIG) private readonly config: ChatConfig,
    @Inject(PLATFORM_LOGGER) private readonly logger: Logger,
  ) {}

  private get maxBytes(): number {
    return this.config.CHAT_ATTACHMENT_MAX_BYTES;
  }

  private tooLarge(bytes: number): RpcFailure {
    const limit = this.maxBytes;
    const shown = limit >= MiB ? `${Math.round((limit / MiB) * 10) / 10} MiB` : `${limit} bytes`;
    return new RpcFailure('PAYLOAD_TOO_LARGE', `attachments may be at most ${shown}`, {
      maxBytes: limit,
      bytes,
    });
  }

  /** `chat.attachment.upload`: the gateway's upload becomes a draft attachment of the channel. */
  async upload(
    actor: VerifiedActor,
    req: RpcPayload<typeof attachmentRpc.attachmentUpload>,
  ): Promise<AttachmentView> {
    try {
      const { membership } = await this.access.member(actor, req.channelId);
      this.access.requireNotMuted(membership);
      const raw = await this.readUpload(req.uploadId);
      const { data, width, height, sniffed } = await this.checked(raw, req.declaredType);
      const stored = storedAs[sniffed];
      const doc = await this.attachments.create(
        {
          id: newId(),
          channelId: req.channelId,
          uploaderId: actor.memberId,
          name: storedName(req.name, stored.ext),
          contentType: stored.contentType,
          width,
          height,
          createdAt: this.clock.now(),
        },
        data,
      );
      return toAttachmentView(entryOf(doc));
    } finally {
      await this.uploads.remove(req.uploadId);
    }
  }

  /** `chat.forum-image.upload`: any active member's image for posts (no PDF). */
  async forumImageUpload(
    actor: VerifiedActor,
    req: RpcPayload<typeof attachmentRpc.forumImageUpload>,
  ): Promise<ForumImageView> {
    try {
      const raw = await this.readUpload(req.uploadId);
      const { data, width, height, sniffed } = await this.checked(raw, req.declaredType);
      if (sniffed === 'pdf' || width === null || height === null)
        throw new RpcFailure(
          'UNSUPPORTED_MEDIA_TYPE',
          'a post shows images: JPEG, PNG, WebP or GIF',
          {
            accepted: ['image/jpeg', 'image/png', 'image/webp', 'image/gif'],
          },
        );
      const stored = storedAs[sniffed];
      const doc = await this.attachments.create(
        {
          id: newId(),
          channelId: null,
          uploaderId: actor.memberId,
          name: storedName(req.name, stored.ext),
          contentType: stored.contentType,
          width,
          height,
          createdAt: this.clock.now(),
        },
        data,
      );
      return {
        url: forumImagePath(doc.blobId),
        name: doc.name,
        contentType: stored.contentType,
        bytes: doc.bytes,
        width,
        height,
      };
    } finally {
      await this.uploads.remove(req.uploadId);
    }
  }

  /** `chat.forum-image.chunk`: public by content hash, and only for forum images. */
  async forumImageChunk(req: RpcPayload<typeof attachmentRpc.forumImageChunk>) {
    const doc = await this.attachments.forumImage(req.hash);
    if (!doc) throw new RpcFailure('NOT_FOUND', 'no such image');
    const chunks = chunkCount(doc.bytes);
    if (req.index >= chunks) throw new RpcFailure('NOT_FOUND', 'no such chunk');
    const data = await this.attachments.chunk(doc.blobId, req.index);
    if (!data) throw new RpcFailure('NOT_FOUND', 'no such image');
    return {
      contentType: doc.contentType,
      bytes: doc.bytes,
      chunks,
      base64: data.toString('base64'),
    };
  }

  /** The upload's bytes within the size limit. */
  private async readUpload(uploadId: string): Promise<Uint8Array> {
    const size = await this.uploads.size(uploadId);
    if (size === null)
      throw new RpcFailure('NOT_FOUND', 'upload not found (uploads expire after an hour)');
    if (size > this.maxBytes) throw this.tooLarge(size);
    if (size === 0) throw new RpcFailure('VALIDATION_FAILED', 'the file is empty');
    const raw = await this.uploads.read(uploadId);
    if (!raw) throw new RpcFailure('NOT_FOUND', 'upload not found (uploads expire after an hour)');
    if (raw.length > this.maxBytes) throw this.tooLarge(raw.length);
    return raw;
  }

  /** The bytes to store, decided by content: a re-encoded image or a PDF with its skeleton. */
  private async checked(raw: Uint8Array, declaredType: string) {
    const sniffed = sniff(raw);
    const refuse = (why: string) => {
      this.logger.debug({ declaredType, sniffed, why }, 'attachment refused');
      return new RpcFailure('UNSUPPORTED_MEDIA_TYPE', `${why}: attach ${ACCEPTED} files`, {
        accepted: ['image/jpeg', 'image/png', 'image/webp', 'image/gif', 'application/pdf'],
      });
    };
    if (sniffed === null) throw refuse('not an image or PDF by its content');
    if (sniffed === 'pdf') {
      const problem = pdfProblem(raw);
      if (problem) throw refuse(`not a well-formed PDF (${problem})`);
      return { data: Buffer.from(raw), width: null, height: null, sniffed };
    }
    try {
      const image = await this.images.render(raw, sniffed);
      if (image.data.length > this.maxBytes) throw this.tooLarge(image.data.length);
      return { data: image.data, width: image.width, height: image.height, sniffed };
    } catch (err) {
      if (!(err instanceof ImageRejected)) throw err;
      if (err.reason === 'too-many-pixels')
        throw new RpcFailure('PAYLOAD_TOO_LARGE', err.message, { reason: err.reason });
      throw refuse(err.message);
    }
  }

  /**
   * The attachment, if the caller may download it: a member of its channel once its message is
   * sent and shown; a draft only its uploader.
   */
  private async readable(actor: VerifiedActor, attachmentId: string): Promise<AttachmentDoc> {
    const doc = await this.attachments.byId(attachmentId);
    // a forum image is read by its hash (forum-image.chunk), never as an attachment
    if (!doc?.channelId) throw new RpcFailure('NOT_FOUND', 'no such attachment');
    const channelId = hex(doc.channelId);
    await this.access.member(actor, channelId);
    const gone = () => new RpcFailure('NOT_FOUND', 'no such attachment');
    if (doc.messageId === null) {
      if (hex(doc.uploaderId) !== actor.memberId) throw gone();
      return doc;
    }
    const message = await this.messages.byId(channelId, hex(doc.messageId));
    if (!message || message.deleted || message.hiddenReason !== null) throw gone();
    return doc;
  }

  async open(actor: VerifiedActor, req: RpcPayload<typeof attachmentRpc.attachmentOpen>) {
    const doc = await this.readable(actor, req.attachmentId);
    return {
      attachment: toAttachmentView(entryOf(doc)),
      etag: doc.blobId,
      chunks: chunkCount(doc.bytes),
    };
  }

  async chunk(actor: VerifiedActor, req: RpcPayload<typeof attachmentRpc.attachmentChunk>) {
    const doc = await this.readable(actor, req.attachmentId);
    if (req.index >= chunkCount(doc.bytes)) throw new RpcFailure('NOT_FOUND', 'no such chunk');
    const data = await this.attachments.chunk(doc.blobId, req.index);
    if (!data) throw new RpcFailure('NOT_FOUND', 'no such attachment');
    return { base64: data.toString('base64') };
  }

  /**
   * Takes the drafts a message is sent with (in the order given): each must be the sender's, of
   * this channel, and free or already this clientMessageId's (a retry). Nothing is taken when one
   * is refused.
   */
  async takeForMessage(
    actor: VerifiedActor,
    channelId: string,
    ids: readonly string[],
    clientMessageId: string,
  ): Promise<MessageAttachmentEntry[]> {
    if (ids.length === 0) return [];
    const docs = new Map((await this.attachments.byIds(ids)).map((d) => [hex(d._id), d]));
    const ordered = ids.map((id) => {
      const doc = docs.get(id);
      if (!doc || hex(doc.uploaderId) !== actor.memberId)
        throw new RpcFailure('NOT_FOUND', `no such attachment of yours: ${id}`);
      if (!doc.channelId || hex(doc.channelId) !== channelId)
        throw new RpcFailure(
          'FORBIDDEN',
          'an attachment is sent in the channel it was uploaded to',
        );
      if (doc.claim !== null && doc.claim !== clientMessageId)
        throw new RpcFailure('CONFLICT', 'that attachment was sent with another message');
      return doc;
    });
    for (const doc of ordered) {
      if (!(await this.attachments.claim(hex(doc._id), clientMessageId)))
        throw new RpcFailure('CONFLICT', 'that attachment was sent with another message');
    }
    return ordered.map(entryOf);
  }

  /** The message is written: its attachments follow its fate from now on. */
  async linkToMessage(entries: readonly MessageAttachmentEntry[], messageId: string) {
    await this.attachments.link(
      entries.map((e) => hex(e.id)),
      messageId,
    );
  }

  /** A deleted message's attachments go, and their bytes unless another attachment shows them. */
  async dropOfMessage(messageId: string): Promise<void> {
    for (const doc of await this.attachments.ofMessage(messageId))
      await this.attachments.remove(doc);
  }

  /** A deleted account's uploads go (sent or not); repeatable. */
  async eraseUploader(memberId: string): Promise<number> {
    const docs = await this.attachments.ofUploader(memberId);
    for (const doc of docs) await this.attachments.remove(doc);
    return docs.length;
  }

  /**
   * Drafts never sent within `attachmentLimits.draftTtlMs` go. One whose send took it and wrote
   * its message (a crash before linking) is linked instead.
   */
  async sweepDrafts(batch = 100): Promise<number> {
    const cutoff = new Date(this.clock.now().getTime() - attachmentLimits.draftTtlMs);
    let removed = 0;
    for (const doc of await this.attachments.draftsBefore(cutoff, batch)) {
      if (doc.claim !== null && doc.channelId !== null) {
        const message = await this.messages.byClientId(
          hex(doc.channelId),
          hex(doc.uploaderId),
          doc.claim,
        );
        if (message && !message.deleted) {
          await this.attachments.link([hex(doc._id)], hex(message._id));
          continue;
        }
      }
      await this.attachments.remove(doc);
      removed += 1;
    }
    return removed;
  }
}

function entryOf(doc: AttachmentDoc): MessageAttachmentEntry {
  return {
    id: doc._id,
    name: doc.name,
    contentType: doc.contentType,
    bytes: doc.bytes,
    width: doc.width,
    height: doc.height,
  };
}
