import { Injectable } from '@nestjs/common';
import { Clock, pendingEvent, RpcFailure, type VerifiedActor } from '@agora/platform';
import { sessionEvents, type ProposalFeedbackView, type SessionCardView } from '@agora/proto';
import { AccessService } from '../access/access.service.js';
import { proposalWriters } from '../access/rights.js';
import { viewerOf } from '../access/viewer.js';
import { hex, oid } from '../common/object-id.js';
import { SessionService } from '../sessions/session.service.js';
import { SpaceRepository } from '../spaces/space.repository.js';
import { CardRepository } from './card.repository.js';
import type { SessionCardDoc } from './session-card.schema.js';

function toCardView(c: SessionCardDoc): SessionCardView {
  return {
    cardId: c.cardId,
    sessionId: hex(c.sessionId),
    pitchIndex: c.pitchIndex,
    area: c.area,
    authorId: hex(c.authorId),
    text: c.text,
    anchor: c.anchor,
    createdAt: c.cardCreatedAt.toISOString(),
    status: c.status,
    rejection: c.rejection,
  };
}

function toFeedbackView(c: SessionCardDoc, sessionTitle: string): ProposalFeedbackView {
  return {
    cardId: c.cardId,
    proposalId: hex(c.proposalId!),
    sessionId: hex(c.sessionId),
    sessionTitle,
    authorId: hex(c.authorId),
    area: c.area,
    text: c.text,
    anchor: c.anchor,
    createdAt: c.cardCreatedAt.toISOString(),
    state: c.feedback.state,
    reason: c.feedback.reason,
    suggestionId: c.feedback.suggestionId,
    decidedBy: c.feedback.decidedBy ? hex(c.feedback.decidedBy) : null,
    decidedAt: c.feedback.decidedAt ? c.feedback.decidedAt.toISOString() : null,
  };
}

/**
 * Cards as spaces judged them, and after a session the accepted ones attached to their proposals:
 * the team sees them beside the text and turns one into a suggested change or dismisses it.
 */
@Injectable()
export class FeedbackService {
  constructor(
    private readonly sessions: SessionService,
    private readonly spaces: SpaceRepository,
    private readonly access: AccessService,
    private readonly cards: CardRepository,
    private readonly clock: Clock,
  ) {}

  /** Every judged card of a session, for whoever sees the session. */
  async sessionCards(actor: VerifiedActor, id: string): Promise<{ items: SessionCardView[] }> {
    await this.sessions.load(viewerOf(actor), id);
    return { items: (await this.cards.ofSession(id)).map(toCardView) };
  }

  /** A proposal's feedback: accepted cards of its pitches in sessions that are closed. */
  async list(actor: VerifiedActor, proposalId: string): Promise<{ items: ProposalFeedbackView[] }> {
    await this.requireTeam(actor, proposalId, 'see');
    return { items: await this.attached(proposalId) };
  }

  async accept(
    actor: VerifiedActor,
    proposalId: string,
    cardId: string,
    suggestionId: string,
    reason: string,
  ): Promise<ProposalFeedbackView> {
    return this.decide(
      actor,
      proposalId,
      cardId,
      'accepted',
      reason.length > 0 ? reason : null,
      suggestionId,
    );
  }

  async dismiss(
    actor: VerifiedActor,
    proposalId: string,
    cardId: string,
    reason: string,
  ): Promise<ProposalFeedbackView> {
    return this.decide(actor, proposalId, cardId, 'dismissed', reason, null);
  }

  private async decide(
    actor: VerifiedActor,
    proposalId: string,
    cardId: string,
    state: 'accepted' | 'dismissed',
    reason: string | null,
    suggestionId: string | null,
  ): Promise<ProposalFeedbackView> {
    await this.requireTeam(actor, proposalId, 'decide');
    const attached = (await this.attached(proposalId)).find((f) => f.cardId === cardId);
    if (!attached) throw new RpcFailure('NOT_FOUND', 'no such feedback on this proposal');
    if (attached.state !== 'open')
      throw new RpcFailure('INVALID_STATE', `this feedback was ${attached.state} already`);
    const now = this.clock.now();
    const written = await this.cards.decide(
      proposalId,
      cardId,
      { state, reason, suggestionId, decidedBy: oid(actor.memberId), decidedAt: now },
      [
        pendingEvent(sessionEvents.feedbackDecided, actor.memberId, proposalId, {
          proposalId,
          cardId,
          state,
          decidedBy: actor.memberId,
        }),
      ],
      now,
    );
    if (!written) throw new RpcFailure('INVALID_STATE', 'this feedback was decided meanwhile');
    return toFeedbackView(written, attached.sessionTitle);
  }

  private async attached(proposalId: string): Promise<ProposalFeedbackView[]> {
    const cards = await this.cards.acceptedOfProposal(proposalId);
    const sessions = await this.spaces.findByIds(cards.map((c) => hex(c.sessionId)));
    const closed = new Map(
      sessions.filter((s) => s.session?.closed).map((s) => [hex(s._id), s.title] as const),
    );
    return cards.flatMap((c) => {
      const title = closed.get(hex(c.sessionId));
      return title === undefined ? [] : [toFeedbackView(c, title)];
    });
  }

  /** The team sees its feedback; its leads and co-authors decide on it; admins may do both. */
  private async requireTeam(actor: VerifiedActor, proposalId: string, what: 'see' | 'decide') {
    const viewer = viewerOf(actor);
    const ctx = await this.access.readableProposal(viewer, proposalId);
    if (viewer.isAdmin) return;
    const ok =
      what === 'see'
        ? ctx.teamRole !== null
        : ctx.teamRole !== null && proposalWriters.includes(ctx.teamRole);
    if (!ok)
      throw new RpcFailure(
        'FORBIDDEN',
        what === 'see'
          ? "only the proposal's team sees its session feedback"
          : "only the proposal's leads and co-authors decide on its feedback",
      );
  }
}
