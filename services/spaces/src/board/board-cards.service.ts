import { Injectable } from '@nestjs/common';
import { Clock, pendingEvent } from '@agora/platform';
import { boardCardSchema, parseDocName, sessionEvents } from '@agora/proto';
import { oid } from '../common/object-id.js';
import { IdeaRepository } from '../ideas/idea.repository.js';
import { MembershipRepository } from '../memberships/membership.repository.js';
import { SpaceRepository } from '../spaces/space.repository.js';
import { BoardCollabRepository } from './board-collab.repository.js';
import { CardRepository, type JudgedCard } from './card.repository.js';
import { judgeCard, type AuthorStanding } from './card-verdict.js';

export interface JudgeOutcome {
  accepted: number;
  rejected: number;
  skipped: number;
  /** Accepted cards whose author changed their text or anchor since. */
  reworded: number;
}

/**
 * Judges the new cards of a board after collab says it changed: spaces is the authority on who may
 * add a card where (experts in their own area), the board is only where the cards are written.
 */
@Injectable()
export class BoardCardsService {
  constructor(
    private readonly spaces: SpaceRepository,
    private readonly memberships: MembershipRepository,
    private readonly collab: BoardCollabRepository,
    private readonly cards: CardRepository,
    private readonly ideas: IdeaRepository,
    private readonly clock: Clock,
  ) {}

  /**
   * Keeps an accepted card's words as its author edits them (the same author, editing in this
   * period; its pitch and area stay what was judged).
   */
  private async reworded(
    sessionId: string,
    before: JudgedCard,
    fields: Record<string, unknown>,
    editors: ReadonlySet<string>,
  ): Promise<boolean> {
    const now = boardCardSchema.safeParse(fields);
    if (!now.success || now.data.authorId !== before.authorId.toHexString()) return false;
    if (!editors.has(now.data.authorId)) return false;
    const anchor = now.data.anchor ?? null;
    if (now.data.text === before.text && anchor === before.anchor) return false;
    await this.cards.reword(sessionId, before.cardId, now.data.text, anchor);
    return true;
  }

  /** `null` for a doc that is not a session's board (a proposal's, say): nothing to judge. */
  async docChanged(docName: string, editorIds: readonly string[]): Promise<JudgeOutcome | null> {
    const ref = parseDocName(docName);
    if (ref.kind !== 'board') return null;
    const space = await this.spaces.findById(ref.id);
    if (!space || space.kind !== 'session' || !space.session) return null;
    const sessionId = ref.id;
    const pitches = space.session.pitches;
    const [board, judged] = await Promise.all([
      this.collab.cards(docName),
      this.cards.judged(sessionId),
    ]);
    const editors = new Set(editorIds);
    const standings = new Map<string, AuthorStanding>();
    for (const id of editors) {
      const m = await this.memberships.find(sessionId, id);
      standings.set(id, {
        role: m?.role ?? null,
        area: m?.role === 'expert' ? (m.area ?? null) : null,
      });
    }
    const outcome: JudgeOutcome = { accepted: 0, rejected: 0, skipped: 0, reworded: 0 };
    for (const { key, fields } of board.cards) {
      const before = judged.get(key);
      if (before) {
        if (
          before.status === 'accepted' &&
          (await this.reworded(sessionId, before, fields, editors))
        )
          outcome.reworded += 1;
        continue;
      }
      const verdict = judgeCard(
        key,
        fields,
        editors,
        pitches.length,
        (id) => standings.get(id) ?? { role: null, area: null },
      );
      if (verdict.kind === 'skip') {
        outcome.skipped += 1;
        continue;
      }
      const { card } = verdict;
      const pitch = pitches[card.pitchIndex];
      const now = this.clock.now();
      // The idea's area first: a crash before the card is recorded leaves the card to judge again.
      if (verdict.status === 'accepted' && pitch)
        await this.ideas.addArea(pitch.ideaId.toHexString(), card.area);
      const event =
        verdict.status === 'accepted'
          ? pendingEvent(sessionEvents.cardAdded, card.authorId, sessionId, {
              sessionId,
              cardId: card.id,
              authorId: card.authorId,
              area: card.area,
              pitchIndex: card.pitchIndex,
            })
          : pendingEvent(sessionEvents.cardRejected, card.authorId, sessionId, {
              sessionId,
              cardId: card.id,
              reason: verdict.rejection!,
            });
      await this.cards.record(
        {
          sessionId: oid(sessionId),
          cardId: card.id,
          pitchIndex: card.pitchIndex,
          proposalId: pitch?.proposalId ?? null,
          ideaId: pitch?.ideaId ?? null,
          area: card.area,
          authorId: oid(card.authorId),
          text: card.text,
          anchor: card.anchor ?? null,
          cardCreatedAt: new Date(card.createdAt),
          status: verdict.status,
          rejection: verdict.rejection,
          judgedAt: now,
          feedback: {
            state: 'open',
            reason: null,
            suggestionId: null,
            decidedBy: null,
            decidedAt: null,
          },
        },
        [event],
      );
      if (verdict.status === 'accepted') outcome.accepted += 1;
      else outcome.rejected += 1;
    }
    return outcome;
  }
}
