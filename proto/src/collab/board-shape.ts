import { z } from 'zod';
import { expertiseAreas } from '../identity/member.js';
import { memberIdSchema } from '../identity/member.js';
import { docShape, sectionKeyPattern } from './doc-shape.js';

/**
 * The shape of a Market Place board `board:<sessionId>` (issue 11), shared by the web, collab and
 * spaces. Cards live in ONE flat root map keyed by card id, each naming its pitch and area: the
 * columns (per pitch, four areas) are derived. Nested per-pitch maps would lose cards when two
 * clients created the same pitch's map at once (concurrent `Y.Map` sets of one key: one wins).
 *
 * - `doc.getMap('cards')`: card id → `Y.Map` with the fields of `BoardCard`. Written by the
 *   facilitator, experts (in their own area) and pitchers (right `write`).
 * - `doc.getMap('comments')`: comment id → `Y.Map` with the fields of `BoardComment`. The same root
 *   map as a proposal's comments (`docShape.comments`), so collab's `comment` right (participants)
 *   lets them write there and nowhere else.
 *
 * A card in the doc is only a claim: spaces reads the cards (`collab.board.cards`) after each
 * `collab.doc.changed`, and judges a card only with an event whose `memberIds` hold its
 * `authorId` (a card naming someone who did not edit then stays unjudged: never accepted). It
 * accepts it when the author is the facilitator, a pitcher, or an expert of the card's area, and
 * rejects it otherwise (`foreign-area`, `not-an-expert`, `no-such-pitch`). Cards whose fields do
 * not match `boardCardSchema` are ignored. The web shows a card as accepted only once spaces says
 * so (`GET /api/sessions/{id}/cards`, live `session.card`); rejected cards are never feedback.
 */
export const boardShape = {
  cards: 'cards',
  comments: docShape.comments,
} as const;

export const boardAreas = expertiseAreas;
export const boardAreaSchema = z.enum(boardAreas);
export type BoardArea = z.infer<typeof boardAreaSchema>;

/** Ids the web makes with `newId()`: 32 lowercase hex. */
export const cardIdSchema = z.string().regex(/^[0-9a-f]{32}$/, 'card id (32 lowercase hex)');
export const maxCardText = 2000;
export const maxCardComment = 2000;

/** One feedback card as written in the doc's `cards` map. */
export const boardCardSchema = z.strictObject({
  id: cardIdSchema,
  /** The 0-based index of the pitch the card is about. */
  pitchIndex: z.number().int().min(0).max(99),
  area: boardAreaSchema,
  authorId: memberIdSchema,
  text: z.string().trim().min(1).max(maxCardText),
  /** A section key of the pitch's proposal (`doc-shape.ts`) the card is about, if any. */
  anchor: z.string().regex(sectionKeyPattern).optional(),
  /** ISO 8601 UTC, set by the author's browser (display only: never trusted for ordering rules). */
  createdAt: z.iso.datetime(),
});
export type BoardCard = z.infer<typeof boardCardSchema>;

/** A comment on a card, in the doc's `comments` map. */
export const boardCommentSchema = z.strictObject({
  id: cardIdSchema,
  cardId: cardIdSchema,
  authorId: memberIdSchema,
  text: z.string().trim().min(1).max(maxCardComment),
  createdAt: z.iso.datetime(),
});
export type BoardComment = z.infer<typeof boardCommentSchema>;
