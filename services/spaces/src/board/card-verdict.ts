import {
  boardCardSchema,
  type BoardArea,
  type BoardCard,
  type CardRejection,
  type SpaceRole,
} from '@agora/proto';
import { mayCardInArea } from '../sessions/session-rights.js';

export type CardVerdict =
  | { kind: 'skip'; why: 'malformed' | 'not-this-period' }
  | {
      kind: 'judged';
      card: BoardCard;
      status: 'accepted' | 'rejected';
      rejection: CardRejection | null;
    };

/** The author's standing in the session, as spaces' memberships say. */
export interface AuthorStanding {
  role: SpaceRole | null;
  area: BoardArea | null;
}

/**
 * Judges one card of a board (`board-shape.ts`). A card whose fields do not match the shape is
 * skipped; so is one whose author did not edit the doc in the period the event covers (a card
 * naming someone else stays unjudged, so never accepted). Otherwise: accepted when its pitch
 * exists and its author may write in its area (experts only their own), rejected with why.
 */
export function judgeCard(
  key: string,
  fields: Record<string, unknown>,
  editors: ReadonlySet<string>,
  pitchCount: number,
  standingOf: (authorId: string) => AuthorStanding,
): CardVerdict {
  const parsed = boardCardSchema.safeParse(fields);
  if (!parsed.success || parsed.data.id !== key) return { kind: 'skip', why: 'malformed' };
  const card = parsed.data;
  if (!editors.has(card.authorId)) return { kind: 'skip', why: 'not-this-period' };
  if (card.pitchIndex >= pitchCount)
    return { kind: 'judged', card, status: 'rejected', rejection: 'no-such-pitch' };
  const standing = standingOf(card.authorId);
  const may = mayCardInArea(standing.role, standing.area, card.area);
  if (may !== 'ok') return { kind: 'judged', card, status: 'rejected', rejection: may };
  return { kind: 'judged', card, status: 'accepted', rejection: null };
}
