import type { Types } from 'mongoose';
import { attachmentContentTypeSchema, type AttachmentView } from '@agora/proto';
import { hex } from '../common/object-id.js';

/** An attachment as a message stores it beside its body (shown without a second read). */
export interface MessageAttachmentEntry {
  id: Types.ObjectId;
  name: string;
  contentType: string;
  bytes: number;
  width: number | null;
  height: number | null;
}

export function toAttachmentView(a: MessageAttachmentEntry): AttachmentView {
  return {
    id: hex(a.id),
    name: a.name,
    contentType: attachmentContentTypeSchema.parse(a.contentType),
    bytes: a.bytes,
    ...(a.width !== null && a.height !== null ? { width: a.width, height: a.height } : {}),
  };
}
