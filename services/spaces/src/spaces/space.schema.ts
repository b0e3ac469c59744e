import { Schema, Types } from 'mongoose';
import { outboxSchemaField, type OutboxEntry } from '@agora/platform';
import type { Criterion, ProposalStatus, SpaceKind, Visibility } from '@agora/proto';
import {
  communityFieldsSchema,
  type CommunityFields,
} from '../communities/community-fields.schema.js';
import { workshopFieldsSchema, type WorkshopFields } from '../workshops/workshop-fields.schema.js';
import { sessionFieldsSchema, type SessionFields } from '../sessions/session-fields.schema.js';

export interface SectionDoc {
  key: string;
  heading: string;
}

export interface SubmissionDoc {
  versionId: string;
  submittedAt: Date;
  submittedBy: Types.ObjectId;
}

export interface DecisionDoc {
  outcome: 'funded' | 'not-funded';
  note: string;
  decidedBy: Types.ObjectId;
  decidedAt: Date;
}

/**
 * One document per space, every kind in one collection (DOMAIN.md "One model"). Common fields
 * first; the rest belong to one kind and are absent on the others.
 */
export interface SpaceDoc {
  _id: Types.ObjectId;
  kind: SpaceKind;
  title: string;
  visibility: Visibility;
  /** A proposal's call; null for top-level spaces. */
  parentId: Types.ObjectId | null;
  createdBy: Types.ObjectId;
  createdAt: Date;
  updatedAt: Date;
  /** Bumped by every change: conditional writes on it are optimistic concurrency. */
  rev: number;
  /** Until when a membership change holds the space (serialises the last-lead check). */
  membersLockedUntil: Date | null;

  // call
  description?: string;
  deadline?: Date;
  timeZone?: string;
  totalBudget?: number;
  maxPerProject?: number;
  currency?: string;
  eligibleCountries?: string[];
  criteria?: Criterion[];
  sections?: SectionDoc[];
  /** `draft` until published; open/closed is computed from the deadline. */
  stage?: 'draft' | 'published';
  publishedAt?: Date | null;
  /** When the closer recorded `call.closed` (null until then). */
  closedAt?: Date | null;

  // proposal
  status?: ProposalStatus;
  openToMembers?: boolean;
  country?: string | null;
  docName?: string;
  seeded?: boolean;
  submissions?: SubmissionDoc[];
  reviewers?: Types.ObjectId[];
  decision?: DecisionDoc | null;
  /** Every prefix (2+ characters) of every normalised title word: search without `$text`. */
  titlePrefixes?: string[];

  // workshop and community: their own fields, one sub-document each
  workshop?: WorkshopFields;
  community?: CommunityFields;
  // session (Market Place): its own fields
  session?: SessionFields;

  outbox: OutboxEntry[];
}

export const SPACE_COLLECTION = 'spaces';

const sectionSchema = new Schema<SectionDoc>(
  { key: { type: String, required: true }, heading: { type: String, required: true } },
  { _id: false },
);
const criterionSchema = new Schema<Criterion>(
  {
    key: { type: String, required: true },
    title: { type: String, required: true },
    weight: { type: Number, required: true },
  },
  { _id: false },
);
const submissionSchema = new Schema<SubmissionDoc>(
  {
    versionId: { type: String, required: true },
    submittedAt: { type: Date, required: true },
    submittedBy: { type: Schema.Types.ObjectId, required: true },
  },
  { _id: false },
);
const decisionSchema = new Schema<DecisionDoc>(
  {
    outcome: { type: String, enum: ['funded', 'not-funded'], required: true },
    note: { type: String, default: '' },
    decidedBy: { type: Schema.Types.ObjectId, required: true },
    decidedAt: { type: Date, required: true },
  },
  { _id: false },
);

export const spaceSchema = new Schema<SpaceDoc>(
  {
    kind: { type: String, required: true },
    title: { type: String, required: true },
    visibility: { type: String, enum: ['public', 'private'], required: true },
    parentId: { type: Schema.Types.ObjectId, default: null },
    createdBy: { type: Schema.Types.ObjectId, required: true },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
    rev: { type: Number, default: 0 },
    membersLockedUntil: { type: Date, default: null },

    description: { type: String },
    deadline: { type: Date },
    timeZone: { type: String },
    totalBudget: { type: Number },
    maxPerProject: { type: Number },
    currency: { type: String },
    eligibleCountries: { type: [String], default: undefined },
    criteria: { type: [criterionSchema], default: undefined },
    sections: { type: [sectionSchema], default: undefined },
    stage: { type: String, enum: ['draft', 'published'] },
    publishedAt: { type: Date },
    closedAt: { type: Date },

    status: { type: String },
    openToMembers: { type: Boolean },
    country: { type: String },
    docName: { type: String },
    seeded: { type: Boolean },
    submissions: { type: [submissionSchema], default: undefined },
    reviewers: { type: [Schema.Types.ObjectId], default: undefined },
    decision: { type: decisionSchema },
    titlePrefixes: { type: [String], default: undefined },

    workshop: { type: workshopFieldsSchema, default: undefined },
    community: { type: communityFieldsSchema, default: undefined },
    session: { type: sessionFieldsSchema, default: undefined },

    outbox: outboxSchemaField,
  },
  { collection: SPACE_COLLECTION, versionKey: false },
);

// The embedded store plans on an index's leading field, so each index leads with its most selective one.
// proposals of a call (its owners' list), filtered by status; submissions counted per call.
spaceSchema.index({ parentId: 1, status: 1 });
// calls by stage: open/closed lists ordered by deadline; the closer's sweep for passed deadlines.
spaceSchema.index({ stage: 1, deadline: 1 });
// a reviewer's queue: proposals the member is assigned to (multikey).
spaceSchema.index({ reviewers: 1 });
// search by title words from their start (multikey on every prefix; no `$text` on the store).
spaceSchema.index({ titlePrefixes: 1 });
// proposals of a country, by status.
spaceSchema.index({ country: 1, status: 1 });
// proposals in a status across calls (admins' lists).
spaceSchema.index({ status: 1, createdAt: -1 });
// proposals opened to every member (what a member may browse beyond their own).
spaceSchema.index({ openToMembers: 1, createdAt: -1 });
// every space of a kind, newest first (admins' unfiltered lists).
spaceSchema.index({ kind: 1, createdAt: -1 });
// workshops by country, by start (lists); a community's workshops.
spaceSchema.index({ 'workshop.country': 1, 'workshop.startsAt': 1 });
spaceSchema.index({ 'workshop.communityId': 1, 'workshop.startsAt': 1 });
// a member's workshops (calendar feed, "mine"): those they run, hold a place in, or wait for.
spaceSchema.index({ 'workshop.facilitators': 1 });
spaceSchema.index({ 'workshop.registered': 1 });
spaceSchema.index({ 'workshop.waitlist': 1 });
// one national community per country, created on first use by whoever asks first.
spaceSchema.index(
  { 'community.nationalOf': 1 },
  { unique: true, partialFilterExpression: { 'community.nationalOf': { $type: 'string' } } },
);
// sessions upcoming (not closed, soonest first) or past (closed, latest first).
spaceSchema.index({ 'session.closed': 1, 'session.startsAt': 1 });
// outbox relay: documents with unpublished events.
spaceSchema.index({ 'outbox._id': 1 });
