import { z } from 'zod';
import { cardIdSchema } from '../collab/board-shape.js';
import { rpc } from '../rpc.js';
import {
  boardControlsPatchSchema,
  feedbackAcceptSchema,
  feedbackDismissSchema,
  phaseChangeSchema,
  pitchCreateSchema,
  pitchSchema,
  proposalFeedbackSchema,
  sessionCardSchema,
  sessionCreateSchema,
  sessionPageSchema,
  sessionPatchSchema,
  sessionResultsSchema,
  marketSessionSchema,
  turnoutSchema,
  voteCreateSchema,
  voteReceiptSchema,
} from './session.js';
import { spaceIdSchema } from './space.js';

const member = { actor: 'member' } as const;
const byId = z.strictObject({ id: spaceIdSchema });
const feedbackRef = { id: spaceIdSchema, cardId: cardIdSchema };

/** Market Place sessions (issue 11): every call made for the signed-in member. */
export const sessionRpc = {
  sessionCreate: rpc('spaces', 'session.create', sessionCreateSchema, marketSessionSchema, member),
  sessionGet: rpc('spaces', 'session.get', byId, marketSessionSchema, member),
  sessionList: rpc(
    'spaces',
    'session.list',
    z.strictObject({
      when: z.enum(['upcoming', 'past']).default('upcoming'),
      mine: z.boolean().optional(),
      offset: z.number().int().min(0).max(100_000).default(0),
      limit: z.number().int().min(1).max(100).default(20),
    }),
    sessionPageSchema,
    member,
  ),
  sessionUpdate: rpc(
    'spaces',
    'session.update',
    z.strictObject({ id: spaceIdSchema, patch: sessionPatchSchema }),
    marketSessionSchema,
    member,
  ),
  pitchAdd: rpc(
    'spaces',
    'session.pitch.add',
    z.strictObject({ id: spaceIdSchema, pitch: pitchCreateSchema }),
    pitchSchema,
    member,
  ),
  /** A public session: any member joins as a participant (a member already in it keeps their role). */
  sessionJoin: rpc('spaces', 'session.join', byId, marketSessionSchema, member),
  phaseSet: rpc(
    'spaces',
    'session.phase.set',
    phaseChangeSchema.extend({ id: spaceIdSchema }),
    marketSessionSchema,
    member,
  ),
  boardSet: rpc(
    'spaces',
    'session.board.set',
    z.strictObject({ id: spaceIdSchema, patch: boardControlsPatchSchema }),
    marketSessionSchema,
    member,
  ),
  summon: rpc(
    'spaces',
    'session.summon',
    z.strictObject({ id: spaceIdSchema, pitchIndex: z.number().int().min(0) }),
    z.strictObject({ ok: z.literal(true) }),
    member,
  ),
  voteCast: rpc(
    'spaces',
    'session.vote.cast',
    voteCreateSchema.extend({ id: spaceIdSchema }),
    voteReceiptSchema,
    member,
  ),
  results: rpc('spaces', 'session.results', byId, sessionResultsSchema, member),
  turnout: rpc('spaces', 'session.turnout', byId, turnoutSchema, member),
  cards: rpc(
    'spaces',
    'session.cards',
    byId,
    z.strictObject({ items: z.array(sessionCardSchema) }),
    member,
  ),

  // Feedback attached to proposals after a session.
  feedbackList: rpc(
    'spaces',
    'proposal.feedback.list',
    byId,
    z.strictObject({ items: z.array(proposalFeedbackSchema) }),
    member,
  ),
  feedbackAccept: rpc(
    'spaces',
    'proposal.feedback.accept',
    feedbackAcceptSchema.extend(feedbackRef),
    proposalFeedbackSchema,
    member,
  ),
  feedbackDismiss: rpc(
    'spaces',
    'proposal.feedback.dismiss',
    feedbackDismissSchema.extend(feedbackRef),
    proposalFeedbackSchema,
    member,
  ),
} as const;
