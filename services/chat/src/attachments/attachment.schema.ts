import { Schema, Types } from 'mongoose';

/**
 * One file uploaded to a channel. Its bytes are a blob shared by every attachment of the same
 * content (`blobId`: their sha256 hex, stored once as chunks). A draft (`messageId` null) is sent
 * with a message by its uploader; `claim` names that message's clientMessageId from the moment the
 * send takes it, so a retry of the same send finds it again and no other message can. A forum image
 * has no channel (`channelId` null) and no message: it is public by its blob's hash.
 */
export interface AttachmentDoc {
  _id: Types.ObjectId;
  channelId: Types.ObjectId | null;
  uploaderId: Types.ObjectId;
  name: string;
  contentType: string;
  bytes: number;
  width: number | null;
  height: number | null;
  blobId: string;
  claim: string | null;
  messageId: Types.ObjectId | null;
  createdAt: Date;
}

export const ATTACHMENT_COLLECTION = 'attachments';

export const attachmentSchema = new Schema<AttachmentDoc>(
  {
    channelId: { type: Schema.Types.ObjectId, default: null },
    uploaderId: { type: Schema.Types.ObjectId, required: true },
    name: { type: String, required: true },
    contentType: { type: String, required: true },
    bytes: { type: Number, required: true },
    width: { type: Number, default: null },
    height: { type: Number, default: null },
    blobId: { type: String, required: true },
    claim: { type: String, default: null },
    messageId: { type: Schema.Types.ObjectId, default: null },
    createdAt: { type: Date, required: true },
  },
  { collection: ATTACHMENT_COLLECTION, versionKey: false },
);

// a deleted account's uploads (erasure).
attachmentSchema.index({ uploaderId: 1 });
// a deleted message's attachments; drafts (null) past their age for the sweep.
attachmentSchema.index({ messageId: 1, createdAt: 1 });
// is a blob still shown by any attachment (before its chunks go).
attachmentSchema.index({ blobId: 1 });

/** One chunk of a blob: `_id` is `<sha256 hex>:<index>`, each `attachmentLimits.chunkBytes` but the last. */
export interface AttachmentChunkDoc {
  _id: string;
  blobId: string;
  index: number;
  data: Buffer;
}

export const ATTACHMENT_CHUNK_COLLECTION = 'attachment_chunks';

// (read by _id only: blob and index)
export const attachmentChunkSchema = new Schema<AttachmentChunkDoc>(
  {
    _id: { type: String, required: true },
    blobId: { type: String, required: true },
    index: { type: Number, required: true },
    data: { type: Buffer, required: true },
  },
  { collection: ATTACHMENT_CHUNK_COLLECTION, versionKey: false },
);

// a blob's chunks, removed together.
attachmentChunkSchema.index({ blobId: 1 });
