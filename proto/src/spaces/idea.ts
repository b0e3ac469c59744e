import { z } from 'zod';
import { boardAreaSchema, cardIdSchema } from '../collab/board-shape.js';
import { countrySchema, memberIdSchema, sectorSchema } from '../identity/member.js';
import { spaceIdSchema } from './space.js';

/** An idea's status in the library: failures (not funded, abandoned) are kept and shown like the rest. */
export const ideaStatuses = [
  'in-progress',
  'supported',
  'funded',
  'not-funded',
  'abandoned',
] as const;
export const ideaStatusSchema = z.enum(ideaStatuses);
export type IdeaStatus = z.infer<typeof ideaStatusSchema>;

export const ideaIdSchema = z.string().regex(/^[a-f0-9]{24}$/, 'idea id');

/** Lessons learned, written by the idea's team. */
export const lessonsSchema = z.strictObject({
  whatWorked: z.string().trim().max(10_000),
  whatFailed: z.string().trim().max(10_000),
  why: z.string().trim().max(10_000),
});
export type Lessons = z.infer<typeof lessonsSchema>;

export const ideaFeedbackCardSchema = z.strictObject({
  cardId: cardIdSchema,
  authorId: memberIdSchema,
  text: z.string(),
  createdAt: z.iso.datetime(),
});

export const ideaSchema = z.strictObject({
  id: ideaIdSchema,
  title: z.string(),
  summary: z.string(),
  status: ideaStatusSchema,
  country: z.string().nullable(),
  sector: sectorSchema.nullable(),
  /** The session it was pitched in, and where in it. */
  sessionId: spaceIdSchema,
  pitchIndex: z.number().int(),
  proposalId: spaceIdSchema.nullable(),
  leaderId: memberIdSchema,
  /** Areas that gave it accepted feedback. */
  areas: z.array(boardAreaSchema),
  lessons: lessonsSchema.nullable(),
  lessonsUpdatedAt: z.iso.datetime().nullable(),
  supportCount: z.number().int(),
  /** Dots it got in its session's vote (once the vote ended). */
  sessionDots: z.number().int(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  /** Whether the caller supports it, and may write its lessons and status. */
  supportedByMe: z.boolean(),
  canEdit: z.boolean(),
});
export type IdeaView = z.infer<typeof ideaSchema>;

/** An idea with its accepted feedback by area (`GET /ideas/{id}`). */
export const ideaDetailSchema = ideaSchema.extend({
  feedback: z.array(
    z.strictObject({ area: boardAreaSchema, cards: z.array(ideaFeedbackCardSchema) }),
  ),
});
export type IdeaDetailView = z.infer<typeof ideaDetailSchema>;

export const ideaListQuerySchema = z.strictObject({
  country: countrySchema.optional(),
  sector: sectorSchema.optional(),
  area: boardAreaSchema.optional(),
  status: ideaStatusSchema.optional(),
  /** Words of the title, matched from their start, accents and case ignored. */
  q: z.string().trim().max(200).optional(),
  offset: z.coerce.number().int().min(0).max(100_000).default(0),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});

export const ideaPageSchema = z.strictObject({
  total: z.number().int(),
  items: z.array(ideaSchema),
});

export const ideaSupportSchema = z.strictObject({
  ideaId: ideaIdSchema,
  supported: z.boolean(),
  supportCount: z.number().int(),
});
