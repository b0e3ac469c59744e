import * as Y from 'yjs';
import {
  boardAreas,
  boardCardSchema,
  boardCommentSchema,
  boardShape,
  type BoardArea,
  type BoardCard,
  type BoardComment,
  type SessionRole,
} from '@agora/proto';
import { newId } from '$lib/collab/ids.js';

/**
 * The board `board:<sessionId>` as the web reads and writes it (`proto/src/collab/board-shape.ts`):
 * one flat map of cards keyed by id, each naming its pitch and area, and one map of comments on
 * cards. Columns (per pitch, four areas) are derived here, never stored.
 */

export function cardsMap(doc: Y.Doc): Y.Map<Y.Map<unknown>> {
  return doc.getMap<Y.Map<unknown>>(boardShape.cards);
}

export function cardCommentsMap(doc: Y.Doc): Y.Map<Y.Map<unknown>> {
  return doc.getMap<Y.Map<unknown>>(boardShape.comments);
}

/** A doc entry as a card, or null when it does not match the contract (never shown). */
export function readCard(id: string, value: unknown): BoardCard | null {
  if (!(value instanceof Y.Map)) return null;
  const parsed = boardCardSchema.safeParse((value as Y.Map<unknown>).toJSON());
  return parsed.success && parsed.data.id === id ? parsed.data : null;
}

function byTime(a: { createdAt: string; id: string }, b: { createdAt: string; id: string }) {
  return a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id);
}

export function readCards(doc: Y.Doc): BoardCard[] {
  const cards: BoardCard[] = [];
  for (const [id, value] of cardsMap(doc).entries()) {
    const card = readCard(id, value);
    if (card) cards.push(card);
  }
  return cards.sort(byTime);
}

/** Comments by card id, oldest first. */
export function readCardComments(doc: Y.Doc): Map<string, BoardComment[]> {
  const byCard = new Map<string, BoardComment[]>();
  for (const [id, value] of cardCommentsMap(doc).entries()) {
    if (!(value instanceof Y.Map)) continue;
    const parsed = boardCommentSchema.safeParse(value.toJSON());
    if (!parsed.success || parsed.data.id !== id) continue;
    const list = byCard.get(parsed.data.cardId) ?? [];
    list.push(parsed.data);
    byCard.set(parsed.data.cardId, list);
  }
  for (const list of byCard.values()) list.sort(byTime);
  return byCard;
}

/**
 * What spaces said about each card (`GET /api/sessions/{id}/cards`, live `session.card`).
 * A card spaces has not judged yet is `pending`.
 */
export type CardVerdict = 'accepted' | 'rejected' | 'pending';

export interface ShownCard extends BoardCard {
  verdict: CardVerdict;
  mine: boolean;
}

/**
 * The cards a member sees: accepted ones, pending ones (marked as such: they are not feedback
 * yet), and their own rejected ones (so they learn why); someone else's rejected card is never
 * shown.
 */
export function shownCards(
  cards: readonly BoardCard[],
  verdicts: ReadonlyMap<string, 'accepted' | 'rejected'>,
  memberId: string | undefined,
): ShownCard[] {
  const shown: ShownCard[] = [];
  for (const card of cards) {
    const verdict: CardVerdict = verdicts.get(card.id) ?? 'pending';
    const mine = card.authorId === memberId;
    if (verdict === 'rejected' && !mine) continue;
    shown.push({ ...card, verdict, mine });
  }
  return shown;
}

export type AreaColumns = Record<BoardArea, ShownCard[]>;

/** One pitch's four columns, in the areas' fixed order. */
export function columnsOf(cards: readonly ShownCard[], pitchIndex: number): AreaColumns {
  const columns = Object.fromEntries(
    boardAreas.map((area) => [area, [] as ShownCard[]]),
  ) as AreaColumns;
  for (const card of cards) {
    if (card.pitchIndex === pitchIndex) columns[card.area].push(card);
  }
  return columns;
}

/**
 * Areas the member's composer offers: an expert only their own; the facilitator and pitchers any
 * (spaces accepts their cards in every area); participants none (they comment).
 */
export function composerAreas(role: SessionRole | null, myArea: BoardArea | null): BoardArea[] {
  if (role === 'expert') return myArea ? [myArea] : [];
  if (role === 'facilitator' || role === 'pitcher') return [...boardAreas];
  return [];
}

export class BoardInputError extends Error {
  constructor(readonly reason: 'invalid' | 'area-not-allowed') {
    super(reason);
  }
}

export interface NewCard {
  pitchIndex: number;
  area: BoardArea;
  text: string;
  anchor?: string | null;
  authorId: string;
}

/**
 * Writes a card (checked against the contract first, so what goes out is what spaces accepts
 * structurally). `allowed` is the composer's areas: a card outside them is refused here too.
 */
export function addCard(
  doc: Y.Doc,
  input: NewCard,
  allowed: readonly BoardArea[],
  now: Date = new Date(),
): string {
  if (!allowed.includes(input.area)) throw new BoardInputError('area-not-allowed');
  const id = newId();
  const parsed = boardCardSchema.safeParse({
    id,
    pitchIndex: input.pitchIndex,
    area: input.area,
    authorId: input.authorId,
    text: input.text,
    ...(input.anchor ? { anchor: input.anchor } : {}),
    createdAt: now.toISOString(),
  });
  if (!parsed.success) throw new BoardInputError('invalid');
  const card = new Y.Map<unknown>();
  doc.transact(() => {
    for (const [key, value] of Object.entries(parsed.data)) card.set(key, value);
    cardsMap(doc).set(id, card);
  });
  return id;
}

export function addCardComment(
  doc: Y.Doc,
  input: { cardId: string; authorId: string; text: string },
  now: Date = new Date(),
): string {
  const id = newId();
  const parsed = boardCommentSchema.safeParse({
    id,
    cardId: input.cardId,
    authorId: input.authorId,
    text: input.text,
    createdAt: now.toISOString(),
  });
  if (!parsed.success) throw new BoardInputError('invalid');
  const comment = new Y.Map<unknown>();
  doc.transact(() => {
    for (const [key, value] of Object.entries(parsed.data)) comment.set(key, value);
    cardCommentsMap(doc).set(id, comment);
  });
  return id;
}
