import { z } from 'zod';
import { boardAreaSchema, cardIdSchema } from '../collab/board-shape.js';
import { sectionKeyPattern } from '../collab/doc-shape.js';
import { docNameSchema } from '../doc-names.js';
import { countrySchema, memberIdSchema, sectorSchema, timeZoneSchema } from '../identity/member.js';
import { deadlineInputSchema, visibilitySchema } from './call.js';
import { spaceIdSchema, spaceRolesByKind } from './space.js';

/** A Market Place session's phases, in the order the facilitator drives them (issue 11). */
export const sessionPhases = ['lobby', 'pitch', 'feedback', 'vote', 'wrap-up', 'closed'] as const;
export const sessionPhaseSchema = z.enum(sessionPhases);
export type SessionPhase = z.infer<typeof sessionPhaseSchema>;
/** Phases that are about one pitch: they need a `pitchIndex`. */
export const pitchPhases: readonly SessionPhase[] = ['pitch', 'feedback'];

export const sessionFormats = ['online', 'onsite', 'mixed'] as const;
export const sessionFormatSchema = z.enum(sessionFormats);
export const sessionRoleSchema = z.enum(spaceRolesByKind.session);
export type SessionRole = z.infer<typeof sessionRoleSchema>;

export const defaultDotsBudget = 5;
export const maxPitches = 30;

const httpUrl = z
  .url({ protocol: /^https?$/ })
  .max(2000)
  .describe('an http(s) URL');

const sessionFields = {
  title: z.string().trim().min(3).max(200),
  description: z.string().trim().max(20_000),
  /** An ISO 8601 instant, or a wall-clock time without offset read in `timeZone`. */
  startsAt: deadlineInputSchema,
  /** IANA zone of the place (or of the organisers, online). */
  timeZone: timeZoneSchema,
  format: sessionFormatSchema,
  /** Where it happens (onsite, mixed). */
  place: z.string().trim().max(500).nullable(),
  /** The meeting link (online, mixed). */
  link: httpUrl.nullable(),
  /** A live stream for those following remotely (embedded when its host is allowed). */
  streamUrl: httpUrl.nullable(),
  visibility: visibilitySchema,
  /** Dots each participant may spend in the support vote. */
  dotsBudget: z.number().int().min(1).max(100),
};

export const sessionCreateSchema = z
  .strictObject({
    title: sessionFields.title,
    description: sessionFields.description.default(''),
    startsAt: sessionFields.startsAt,
    timeZone: sessionFields.timeZone,
    format: sessionFields.format,
    place: sessionFields.place.default(null),
    link: sessionFields.link.default(null),
    streamUrl: sessionFields.streamUrl.default(null),
    visibility: sessionFields.visibility.default('public'),
    dotsBudget: sessionFields.dotsBudget.default(defaultDotsBudget),
  })
  .refine((s) => s.format === 'online' || (s.place ?? '').length > 0, {
    path: ['place'],
    message: 'an onsite or mixed session needs a place',
  })
  .refine((s) => s.format === 'onsite' || s.link !== null || s.streamUrl !== null, {
    path: ['link'],
    message: 'an online or mixed session needs a link or a stream URL',
  });
export type SessionCreate = z.output<typeof sessionCreateSchema>;

/** What the facilitator may change (the dots budget only before the vote). */
export const sessionPatchSchema = z
  .strictObject(sessionFields)
  .partial()
  .refine((p) => Object.keys(p).length > 0, 'nothing to change');
export type SessionPatch = z.output<typeof sessionPatchSchema>;

/** `POST /sessions/{id}/pitches`: a proposal, or a free project card. */
export const pitchCreateSchema = z.union([
  z.strictObject({
    proposalId: spaceIdSchema,
    /** The idea's sector in the library (a proposal has a country but no sector). */
    sector: sectorSchema.optional(),
  }),
  z.strictObject({
    title: z.string().trim().min(3).max(200),
    summary: z.string().trim().max(5000).default(''),
    leaderId: memberIdSchema,
    country: countrySchema.optional(),
    sector: sectorSchema.optional(),
  }),
]);
export type PitchCreate = z.output<typeof pitchCreateSchema>;

export const pitchSchema = z.strictObject({
  /** 0-based, in the order added. */
  index: z.number().int().min(0),
  title: z.string(),
  summary: z.string(),
  proposalId: spaceIdSchema.nullable(),
  leaderId: memberIdSchema,
  /** The idea in the library this pitch became. */
  ideaId: z.string(),
});
export type PitchView = z.infer<typeof pitchSchema>;

/** Facilitator controls of the board that every viewer follows (REST + live `session.board`). */
export const boardControlsSchema = z.strictObject({
  /** Locked: everyone but the facilitator reads the board only. */
  locked: z.boolean(),
  /** Cards are shown without their authors. */
  hideAuthors: z.boolean(),
  /** The card everyone's view brings forward, if any. */
  spotlightCardId: cardIdSchema.nullable(),
});
export type BoardControls = z.infer<typeof boardControlsSchema>;

export const boardControlsPatchSchema = boardControlsSchema
  .partial()
  .refine((p) => Object.keys(p).length > 0, 'nothing to change');

export const phaseChangeSchema = z.strictObject({
  phase: sessionPhaseSchema,
  /** Required for `pitch` and `feedback`; ignored otherwise. */
  pitchIndex: z.number().int().min(0).optional(),
  /** Countdown: `endsAt` = now + this. Without it the phase has no deadline. */
  durationSeconds: z
    .number()
    .int()
    .min(5)
    .max(4 * 3600)
    .optional(),
});
export type PhaseChange = z.output<typeof phaseChangeSchema>;

/** The phase as the server holds it: clients show `endsAt` and never run their own clock as truth. */
export const phaseStateSchema = z.strictObject({
  sessionId: spaceIdSchema,
  phase: sessionPhaseSchema,
  pitchIndex: z.number().int().min(0).nullable(),
  endsAt: z.iso.datetime().nullable(),
});
export type PhaseState = z.infer<typeof phaseStateSchema>;

export const marketSessionSchema = z.strictObject({
  id: spaceIdSchema,
  kind: z.literal('session'),
  title: z.string(),
  description: z.string(),
  /** ISO 8601 UTC; shown in `timeZone`. */
  startsAt: z.iso.datetime(),
  timeZone: z.string(),
  format: sessionFormatSchema,
  place: z.string().nullable(),
  link: z.string().nullable(),
  streamUrl: z.string().nullable(),
  /** Whether `streamUrl`'s host is in the allowed list (`SESSIONS_STREAM_HOSTS`): embed it, else link it. */
  streamEmbed: z.boolean(),
  visibility: visibilitySchema,
  /** `board:<id>`: the co-edited board. */
  docName: docNameSchema,
  phase: sessionPhaseSchema,
  pitchIndex: z.number().int().min(0).nullable(),
  endsAt: z.iso.datetime().nullable(),
  startedAt: z.iso.datetime().nullable(),
  /** When the vote phase was left: results are public from then on. */
  voteEndedAt: z.iso.datetime().nullable(),
  closedAt: z.iso.datetime().nullable(),
  dotsBudget: z.number().int(),
  board: boardControlsSchema,
  pitches: z.array(pitchSchema),
  createdBy: memberIdSchema,
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  /** The caller's role and, for an expert, area. */
  myRole: sessionRoleSchema.nullable(),
  myArea: boardAreaSchema.nullable(),
  /** Dots the caller has left to spend (null: not a participant of this session). */
  myDotsLeft: z.number().int().nullable(),
  /** Whether the caller drives the session (its facilitators and admins). */
  canFacilitate: z.boolean(),
  /** The server's clock when it answered: count `endsAt` down by it, never by the browser's alone. */
  serverNow: z.iso.datetime(),
});
export type SessionView = z.infer<typeof marketSessionSchema>;

export const sessionListQuerySchema = z.strictObject({
  /** `upcoming`: not closed, soonest first; `past`: closed, latest first. */
  when: z.enum(['upcoming', 'past']).default('upcoming'),
  /** Only sessions the caller is a member of. */
  mine: z.stringbool().optional(),
  offset: z.coerce.number().int().min(0).max(100_000).default(0),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});

export const sessionPageSchema = z.strictObject({
  total: z.number().int(),
  items: z.array(marketSessionSchema),
});

/** Dots on a pitch, or on one of its cards. */
export const voteCreateSchema = z.strictObject({
  pitchIndex: z.number().int().min(0),
  cardId: cardIdSchema.optional(),
  dots: z.number().int().min(1).max(100),
  /** The client's id for this click: the same key never counts twice (reloads, second tabs). */
  idempotencyKey: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, 'idempotency key'),
});
export type VoteCreate = z.output<typeof voteCreateSchema>;

export const voteReceiptSchema = z.strictObject({
  idempotencyKey: z.string(),
  pitchIndex: z.number().int(),
  cardId: cardIdSchema.nullable(),
  dots: z.number().int(),
  /** False when this key had already counted (the answer repeats it). */
  counted: z.boolean(),
  dotsLeft: z.number().int(),
});

export const sessionResultsSchema = z.strictObject({
  sessionId: spaceIdSchema,
  pitches: z.array(
    z.strictObject({
      index: z.number().int(),
      title: z.string(),
      dots: z.number().int(),
      cards: z.array(z.strictObject({ cardId: cardIdSchema, dots: z.number().int() })),
    }),
  ),
  voters: z.number().int(),
});

/** Live turnout for the facilitator: who may vote and how many did. */
export const turnoutSchema = z.strictObject({
  sessionId: spaceIdSchema,
  eligible: z.number().int(),
  voters: z.number().int(),
  dotsSpent: z.number().int(),
  dotsBudget: z.number().int(),
});

export const cardStatuses = ['accepted', 'rejected'] as const;
export const cardStatusSchema = z.enum(cardStatuses);
/** Why spaces refused a card. */
export const cardRejections = ['not-an-expert', 'foreign-area', 'no-such-pitch'] as const;
export const cardRejectionSchema = z.enum(cardRejections);
export type CardRejection = z.infer<typeof cardRejectionSchema>;

/** A board card as spaces judged it. */
export const sessionCardSchema = z.strictObject({
  cardId: cardIdSchema,
  sessionId: spaceIdSchema,
  pitchIndex: z.number().int(),
  area: boardAreaSchema,
  authorId: memberIdSchema,
  text: z.string(),
  anchor: z.string().nullable(),
  createdAt: z.iso.datetime(),
  status: cardStatusSchema,
  rejection: cardRejectionSchema.nullable(),
});
export type SessionCardView = z.infer<typeof sessionCardSchema>;

export const feedbackStates = ['open', 'accepted', 'dismissed'] as const;
export const feedbackStateSchema = z.enum(feedbackStates);

/** An accepted card attached to the pitch's proposal once the session closed. */
export const proposalFeedbackSchema = z.strictObject({
  cardId: cardIdSchema,
  proposalId: spaceIdSchema,
  /** Its origin: the session, the expert and the area. */
  sessionId: spaceIdSchema,
  sessionTitle: z.string(),
  authorId: memberIdSchema,
  area: boardAreaSchema,
  text: z.string(),
  anchor: z.string().regex(sectionKeyPattern).nullable(),
  createdAt: z.iso.datetime(),
  state: feedbackStateSchema,
  reason: z.string().nullable(),
  /** The suggestion (proposal doc `suggestions` map) the team made of it. */
  suggestionId: z.string().nullable(),
  decidedBy: memberIdSchema.nullable(),
  decidedAt: z.iso.datetime().nullable(),
});
export type ProposalFeedbackView = z.infer<typeof proposalFeedbackSchema>;

export const feedbackAcceptSchema = z.strictObject({
  /** The id of the suggestion the web wrote in the proposal doc (32 lowercase hex). */
  suggestionId: z.string().regex(/^[0-9a-f]{32}$/, 'suggestion id'),
  reason: z.string().trim().max(2000).default(''),
});
export const feedbackDismissSchema = z.strictObject({
  reason: z.string().trim().min(1).max(2000),
});
