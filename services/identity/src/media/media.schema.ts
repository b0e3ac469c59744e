import { Schema } from 'mongoose';

/** A stored, resized image; `_id` is the sha256 hex of `data`, so ids never change meaning. */
export interface MediaDoc {
  _id: string;
  contentType: string;
  data: Buffer;
  bytes: number;
  createdAt: Date;
}

export const MEDIA_COLLECTION = 'media';

// (served by _id only: the content hash)
export const mediaSchema = new Schema<MediaDoc>(
  {
    _id: { type: String, required: true },
    contentType: { type: String, required: true },
    data: { type: Buffer, required: true },
    bytes: { type: Number, required: true },
    createdAt: { type: Date, required: true },
  },
  { collection: MEDIA_COLLECTION, versionKey: false },
);
