import { Schema, Types } from 'mongoose';
import { expertiseAreas, hideableProfileFields, roles, sectors, uiLanguages } from '@agora/proto';
import { outboxSchemaField, type OutboxEntry } from '@agora/platform';
import type {
  Expertise,
  HideableProfileField,
  MemberStatus,
  Role,
  Sector,
  UiLanguage,
} from './member.types.js';

export interface MemberDoc {
  _id: Types.ObjectId;
  email: string;
  passwordHash: string;
  displayName: string;
  bio: string;
  organisation: string;
  sector: Sector | null;
  country: string;
  languages: string[];
  expertise: Expertise[];
  preferredLanguage: UiLanguage;
  timeZone: string;
  avatarUrl: string | null;
  coverUrl: string | null;
  role: Role;
  status: MemberStatus;
  invitedBy: Types.ObjectId | null;
  invitationId: string | null;
  profileCompletedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
  deletedAt: Date | null;
  rev: number;
  /** Hideable fields shown to other members; absent on records older than the choice: defaults. */
  publicFields?: HideableProfileField[];
  /** Directory search keys (people/directory-keys.ts), rewritten with every write; none unless active. */
  directory?: string[];
  /** The display name normalised, the directory's order. */
  nameSort?: string;
  /** In the unfiltered directory list: true exactly while active. */
  listed?: boolean;
  /** Events not yet published (platform outbox relay). */
  outbox: OutboxEntry[];
}

export const MEMBER_COLLECTION = 'members';

export const memberSchema = new Schema<MemberDoc>(
  {
    email: { type: String, required: true },
    passwordHash: { type: String, default: '' },
    displayName: { type: String, default: '' },
    bio: { type: String, default: '' },
    organisation: { type: String, default: '' },
    sector: { type: String, enum: [...sectors, null], default: null },
    country: { type: String, required: true },
    languages: { type: [String], default: [] },
    expertise: { type: [{ type: String, enum: expertiseAreas }], default: [] },
    preferredLanguage: { type: String, enum: uiLanguages, required: true },
    timeZone: { type: String, default: 'UTC' },
    avatarUrl: { type: String, default: null },
    coverUrl: { type: String, default: null },
    role: { type: String, enum: roles, required: true },
    status: { type: String, enum: ['active', 'deleted'], default: 'active' },
    invitedBy: { type: Schema.Types.ObjectId, default: null },
    invitationId: { type: String, default: null },
    profileCompletedAt: { type: Date, default: null },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
    deletedAt: { type: Date, default: null },
    rev: { type: Number, default: 0 },
    publicFields: { type: [{ type: String, enum: hideableProfileFields }], default: undefined },
    directory: { type: [String], default: undefined },
    nameSort: { type: String, default: undefined },
    listed: { type: Boolean, default: undefined },
    outbox: outboxSchemaField,
  },
  { collection: MEMBER_COLLECTION, versionKey: false, minimize: false },
);

// login and register: find the account by its normalised email; one account per address.
memberSchema.index({ email: 1 }, { unique: true });
// admin member list, oldest first, paged; last-admin check (role + status).
memberSchema.index({ status: 1, createdAt: 1 });
memberSchema.index({ role: 1, status: 1 });
// member directory (people.search) with filters: one key per query (name-word prefix, country,
// language, expertise, sector), in name order.
memberSchema.index({ directory: 1, nameSort: 1, _id: 1 });
// member directory without filters: every active member in name order, counted from the index
// (not multikey, so the store reads it in order and stops at the page).
memberSchema.index({ listed: 1, nameSort: 1, _id: 1 });
// outbox relay: find documents with unpublished events.
memberSchema.index({ 'outbox._id': 1 });
