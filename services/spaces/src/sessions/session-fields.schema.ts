import { Schema, Types } from 'mongoose';
import type { SessionPhase } from '@agora/proto';
import type { SpaceDoc } from '../spaces/space.schema.js';
import type { SessionFacts } from './session-rights.js';

export interface PitchDoc {
  index: number;
  title: string;
  summary: string;
  proposalId: Types.ObjectId | null;
  leaderId: Types.ObjectId;
  ideaId: Types.ObjectId;
  /** For the idea the pitch becomes (a proposal's country; a sector the facilitator names). */
  country: string | null;
  sector: string | null;
}

export interface BoardControlsDoc {
  locked: boolean;
  hideAuthors: boolean;
  spotlightCardId: string | null;
}

/**
 * A Market Place session's own fields, nested in its space document (`space.session`). The phase
 * lives here, so each facilitator move is one conditional write of one document with its event.
 */
export interface SessionFields {
  description: string;
  startsAt: Date;
  timeZone: string;
  format: 'online' | 'onsite' | 'mixed';
  place: string | null;
  link: string | null;
  streamUrl: string | null;
  dotsBudget: number;
  phase: SessionPhase;
  pitchIndex: number | null;
  endsAt: Date | null;
  startedAt: Date | null;
  voteEndedAt: Date | null;
  closedAt: Date | null;
  /** `phase === 'closed'`, kept apart for the upcoming/past index. */
  closed: boolean;
  board: BoardControlsDoc;
  pitches: PitchDoc[];
}

const pitchSchema = new Schema<PitchDoc>(
  {
    index: { type: Number, required: true },
    title: { type: String, required: true },
    summary: { type: String, default: '' },
    proposalId: { type: Schema.Types.ObjectId, default: null },
    leaderId: { type: Schema.Types.ObjectId, required: true },
    ideaId: { type: Schema.Types.ObjectId, required: true },
    country: { type: String, default: null },
    sector: { type: String, default: null },
  },
  { _id: false },
);

const boardControlsSchema = new Schema<BoardControlsDoc>(
  {
    locked: { type: Boolean, default: false },
    hideAuthors: { type: Boolean, default: false },
    spotlightCardId: { type: String, default: null },
  },
  { _id: false },
);

export const sessionFieldsSchema = new Schema<SessionFields>(
  {
    description: { type: String, default: '' },
    startsAt: { type: Date, required: true },
    timeZone: { type: String, required: true },
    format: { type: String, enum: ['online', 'onsite', 'mixed'], required: true },
    place: { type: String, default: null },
    link: { type: String, default: null },
    streamUrl: { type: String, default: null },
    dotsBudget: { type: Number, required: true },
    phase: { type: String, required: true },
    pitchIndex: { type: Number, default: null },
    endsAt: { type: Date, default: null },
    startedAt: { type: Date, default: null },
    voteEndedAt: { type: Date, default: null },
    closedAt: { type: Date, default: null },
    closed: { type: Boolean, default: false },
    board: { type: boardControlsSchema, required: true },
    pitches: { type: [pitchSchema], default: [] },
  },
  { _id: false },
);

/** The session's rights-relevant facts (a space without session fields reads as a closed one). */
export function sessionFacts(space: SpaceDoc): SessionFacts {
  const s = space.session;
  return {
    visibility: space.visibility,
    phase: s?.phase ?? 'closed',
    locked: s?.board.locked ?? true,
  };
}
