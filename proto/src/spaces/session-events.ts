import { z } from 'zod';
import { boardAreaSchema, cardIdSchema } from '../collab/board-shape.js';
import { event } from '../events.js';
import { memberIdSchema } from '../identity/member.js';
import { ideaIdSchema, ideaStatusSchema } from './idea.js';
import { cardRejectionSchema, feedbackStateSchema, sessionPhaseSchema } from './session.js';
import { spaceIdSchema } from './space.js';

const sessionRef = { sessionId: spaceIdSchema };

/** Market Place events (shared-names.md): ids only, no personal data. */
export const sessionEvents = {
  /** On creation and whenever `startsAt` changes (notifications remind members of it). */
  sessionScheduled: event(
    'spaces',
    'session',
    'scheduled',
    z.strictObject({ ...sessionRef, startsAt: z.iso.datetime() }),
  ),
  /** Fields other than the phase changed (title, place, stream…): viewers reload it. */
  sessionUpdated: event(
    'spaces',
    'session',
    'updated',
    z.strictObject({ ...sessionRef, fields: z.array(z.string()).min(1) }),
  ),
  /** The lobby gave way to the first live phase. */
  sessionStarted: event('spaces', 'session', 'started', z.strictObject(sessionRef)),
  sessionPhaseChanged: event(
    'spaces',
    'session',
    'phase-changed',
    z.strictObject({
      ...sessionRef,
      phase: sessionPhaseSchema,
      pitchIndex: z.number().int().min(0).nullable(),
      endsAt: z.iso.datetime().nullable(),
    }),
  ),
  pitchAdded: event(
    'spaces',
    'pitch',
    'added',
    z.strictObject({ ...sessionRef, pitchIndex: z.number().int().min(0), ideaId: ideaIdSchema }),
  ),
  /** The facilitator locked or unlocked the board, hid authors, or spotlighted a card. */
  boardChanged: event(
    'spaces',
    'board',
    'changed',
    z.strictObject({
      ...sessionRef,
      locked: z.boolean(),
      hideAuthors: z.boolean(),
      spotlightCardId: cardIdSchema.nullable(),
    }),
  ),
  /** The facilitator brings every view to one pitch. */
  sessionSummoned: event(
    'spaces',
    'session',
    'summoned',
    z.strictObject({ ...sessionRef, pitchIndex: z.number().int().min(0) }),
  ),
  /** Spaces accepted a board card (once per card). */
  cardAdded: event(
    'spaces',
    'card',
    'added',
    z.strictObject({
      ...sessionRef,
      cardId: cardIdSchema,
      authorId: memberIdSchema,
      area: boardAreaSchema,
      pitchIndex: z.number().int().min(0),
    }),
  ),
  /** Spaces refused a board card (an expert outside their area, a non-expert…), once per card. */
  cardRejected: event(
    'spaces',
    'card',
    'rejected',
    z.strictObject({ ...sessionRef, cardId: cardIdSchema, reason: cardRejectionSchema }),
  ),
  /** Dots spent in the support vote (which pitch is not told: no herding before results). */
  voteCast: event(
    'spaces',
    'vote',
    'cast',
    z.strictObject({
      ...sessionRef,
      memberId: memberIdSchema,
      dots: z.number().int().min(1),
    }),
  ),
  /** A proposal's team accepted (as a suggestion) or dismissed a card attached to it. */
  feedbackDecided: event(
    'spaces',
    'feedback',
    'decided',
    z.strictObject({
      proposalId: spaceIdSchema,
      cardId: cardIdSchema,
      state: feedbackStateSchema.exclude(['open']),
      decidedBy: memberIdSchema,
    }),
  ),
  ideaSupported: event(
    'spaces',
    'idea',
    'supported',
    z.strictObject({ ideaId: ideaIdSchema, memberId: memberIdSchema }),
  ),
  ideaSupportWithdrawn: event(
    'spaces',
    'idea',
    'support-withdrawn',
    z.strictObject({ ideaId: ideaIdSchema, memberId: memberIdSchema }),
  ),
  ideaStatusChanged: event(
    'spaces',
    'idea',
    'status-changed',
    z.strictObject({ ideaId: ideaIdSchema, status: ideaStatusSchema }),
  ),
  ideaLessonsUpdated: event(
    'spaces',
    'idea',
    'lessons-updated',
    z.strictObject({ ideaId: ideaIdSchema, updatedBy: memberIdSchema }),
  ),
} as const;
