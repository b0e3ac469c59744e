import { Schema } from 'mongoose';
import type { CommunityType } from '@agora/proto';

/** A community's own fields, nested in its space document (`space.community`). */
export interface CommunityFields {
  type: CommunityType;
  description: string;
  country: string | null;
  language: string | null;
  /** The country code of a national community (unique: one per country); absent on topic groups. */
  nationalOf?: string;
}

export const communityFieldsSchema = new Schema<CommunityFields>(
  {
    type: { type: String, enum: ['national', 'topic'], required: true },
    description: { type: String, default: '' },
    country: { type: String, default: null },
    language: { type: String, default: null },
    nationalOf: { type: String },
  },
  { _id: false },
);
