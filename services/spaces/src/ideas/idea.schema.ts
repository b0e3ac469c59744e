import { Schema, Types } from 'mongoose';
import { outboxSchemaField, type OutboxEntry } from '@agora/platform';
import type { BoardArea, IdeaStatus, Lessons } from '@agora/proto';

/**
 * An idea of the library: one per pitch (unique `{sessionId, pitchIndex}`), kept whatever became
 * of it — not funded and abandoned ideas are listed like the rest. Its supporters are ids in the
 * document itself, so supporting is one conditional write ("not in it yet" → add, count, event).
 */
export interface IdeaDoc {
  _id: Types.ObjectId;
  sessionId: Types.ObjectId;
  pitchIndex: number;
  title: string;
  summary: string;
  status: IdeaStatus;
  country: string | null;
  sector: string | null;
  proposalId: Types.ObjectId | null;
  leaderId: Types.ObjectId;
  /** Whether its session was public when it was pitched (who may find it in the library). */
  sessionPublic: boolean;
  areas: BoardArea[];
  lessons: Lessons | null;
  lessonsUpdatedAt: Date | null;
  supporters: Types.ObjectId[];
  supportCount: number;
  sessionDots: number;
  /** Every prefix (2+ characters) of every normalised title word: search without `$text`. */
  titlePrefixes: string[];
  createdAt: Date;
  updatedAt: Date;
  outbox: OutboxEntry[];
}

export const IDEA_COLLECTION = 'ideas';

export const ideaSchema = new Schema<IdeaDoc>(
  {
    sessionId: { type: Schema.Types.ObjectId, required: true },
    pitchIndex: { type: Number, required: true },
    title: { type: String, required: true },
    summary: { type: String, default: '' },
    status: { type: String, required: true },
    country: { type: String, default: null },
    sector: { type: String, default: null },
    proposalId: { type: Schema.Types.ObjectId, default: null },
    leaderId: { type: Schema.Types.ObjectId, required: true },
    sessionPublic: { type: Boolean, required: true },
    areas: { type: [String], default: [] },
    lessons: {
      type: new Schema<Lessons>(
        { whatWorked: String, whatFailed: String, why: String },
        { _id: false },
      ),
      default: null,
    },
    lessonsUpdatedAt: { type: Date, default: null },
    supporters: { type: [Schema.Types.ObjectId], default: [] },
    supportCount: { type: Number, default: 0 },
    sessionDots: { type: Number, default: 0 },
    titlePrefixes: { type: [String], default: [] },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
    outbox: outboxSchemaField,
  },
  { collection: IDEA_COLLECTION, versionKey: false },
);

// The embedded store plans on an index's leading field, so each leads with the filter it serves.
// one idea per pitch (the `spaces-ideas` consumer's idempotency); a session's ideas.
ideaSchema.index({ sessionId: 1, pitchIndex: 1 }, { unique: true });
// the library, newest first, unfiltered.
ideaSchema.index({ createdAt: -1 });
// filtered by status, country, sector, feedback area (multikey), title words (multikey).
ideaSchema.index({ status: 1, createdAt: -1 });
ideaSchema.index({ country: 1, createdAt: -1 });
ideaSchema.index({ sector: 1, createdAt: -1 });
ideaSchema.index({ areas: 1 });
ideaSchema.index({ titlePrefixes: 1 });
// a proposal's ideas (its team writes their lessons).
ideaSchema.index({ proposalId: 1 });
// outbox relay: documents with unpublished events.
ideaSchema.index({ 'outbox._id': 1 });
