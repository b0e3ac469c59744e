import { Injectable } from '@nestjs/common';
import { Clock, pendingEvent, RpcFailure, type VerifiedActor } from '@agora/platform';
import { sessionEvents, type RpcResponse, type sessionRpc, type VoteCreate } from '@agora/proto';
import { viewerOf } from '../access/viewer.js';
import { CardRepository } from '../board/card.repository.js';
import { MembershipRepository } from '../memberships/membership.repository.js';
import { canVote } from '../sessions/session-rights.js';
import { SessionService } from '../sessions/session.service.js';
import type { VoteDoc } from './vote-wallet.schema.js';
import { VoteRepository } from './vote.repository.js';

type Receipt = RpcResponse<typeof sessionRpc.voteCast>;
type Results = RpcResponse<typeof sessionRpc.results>;
type Turnout = RpcResponse<typeof sessionRpc.turnout>;

const receipt = (v: VoteDoc, counted: boolean, dotsLeft: number): Receipt => ({
  idempotencyKey: v.key,
  pitchIndex: v.pitchIndex,
  cardId: v.cardId,
  dots: v.dots,
  counted,
  dotsLeft,
});

/** The support vote: dots spent once per key, within budget, shown only once the vote ended. */
@Injectable()
export class VoteService {
  constructor(
    private readonly sessions: SessionService,
    private readonly votes: VoteRepository,
    private readonly cards: CardRepository,
    private readonly memberships: MembershipRepository,
    private readonly clock: Clock,
  ) {}

  async cast(actor: VerifiedActor, id: string, input: VoteCreate): Promise<Receipt> {
    const ctx = await this.sessions.load(viewerOf(actor), id);
    if (!canVote(ctx.role))
      throw new RpcFailure(
        'FORBIDDEN',
        ctx.role === 'facilitator'
          ? 'facilitators run the vote and do not vote'
          : 'join the session to vote',
      );
    const budget = ctx.s.dotsBudget;
    // A repeat of a key that already counted answers the same, whatever the phase is now.
    const before = await this.votes.wallet(id, actor.memberId);
    const known = before?.votes.find((v) => v.key === input.idempotencyKey);
    if (known) return receipt(known, false, budget - before!.spent);
    if (ctx.s.phase !== 'vote')
      throw new RpcFailure('INVALID_STATE', 'votes are taken during the vote phase only');
    if (input.pitchIndex >= ctx.s.pitches.length)
      throw new RpcFailure('VALIDATION_FAILED', 'no such pitch', [
        { path: ['pitchIndex'], code: 'custom', message: 'no such pitch' },
      ]);
    if (input.cardId !== undefined) {
      const card = await this.cards.find(id, input.cardId);
      if (!card || card.status !== 'accepted' || card.pitchIndex !== input.pitchIndex)
        throw new RpcFailure('VALIDATION_FAILED', 'no such accepted card on this pitch', [
          { path: ['cardId'], code: 'custom', message: 'no such accepted card on this pitch' },
        ]);
    }
    if (input.dots > budget)
      throw new RpcFailure('INVALID_STATE', `a session's budget is ${budget} dots`);
    const vote: VoteDoc = {
      key: input.idempotencyKey,
      pitchIndex: input.pitchIndex,
      cardId: input.cardId ?? null,
      dots: input.dots,
      at: this.clock.now(),
    };
    const { outcome, wallet } = await this.votes.spend(id, actor.memberId, vote, budget, [
      pendingEvent(sessionEvents.voteCast, actor.memberId, id, {
        sessionId: id,
        memberId: actor.memberId,
        dots: input.dots,
      }),
    ]);
    if (outcome === 'spent') return receipt(vote, true, budget - wallet.spent);
    const twin = wallet.votes.find((v) => v.key === input.idempotencyKey);
    if (twin) return receipt(twin, false, budget - wallet.spent);
    throw new RpcFailure(
      'INVALID_STATE',
      `not enough dots left (${budget - wallet.spent} of ${budget})`,
    );
  }

  /** Each pitch's (and card's) dots, for anyone who sees the session, once the vote has ended. */
  async results(actor: VerifiedActor, id: string): Promise<Results> {
    const ctx = await this.sessions.load(viewerOf(actor), id);
    if (!ctx.s.voteEndedAt)
      throw new RpcFailure('INVALID_STATE', 'results are shown once the vote phase has ended');
    const wallets = await this.votes.walletsOf(id);
    const pitches = ctx.s.pitches.map((p) => ({
      index: p.index,
      title: p.title,
      dots: 0,
      cards: new Map<string, number>(),
    }));
    let voters = 0;
    for (const w of wallets) {
      if (w.spent > 0) voters += 1;
      for (const v of w.votes) {
        const p = pitches[v.pitchIndex];
        if (!p) continue;
        p.dots += v.dots;
        if (v.cardId) p.cards.set(v.cardId, (p.cards.get(v.cardId) ?? 0) + v.dots);
      }
    }
    return {
      sessionId: id,
      pitches: pitches.map((p) => ({
        index: p.index,
        title: p.title,
        dots: p.dots,
        cards: [...p.cards].map(([cardId, dots]) => ({ cardId, dots })),
      })),
      voters,
    };
  }

  /** Live turnout for the facilitator: who may vote, how many did, dots spent (not on what). */
  async turnout(actor: VerifiedActor, id: string): Promise<Turnout> {
    const ctx = await this.sessions.load(viewerOf(actor), id);
    this.sessions.requireFacilitator(ctx);
    const [members, wallets] = await Promise.all([
      this.memberships.listBySpace(id),
      this.votes.walletsOf(id),
    ]);
    return {
      sessionId: id,
      eligible: members.filter((m) => canVote(m.role)).length,
      voters: wallets.filter((w) => w.spent > 0).length,
      dotsSpent: wallets.reduce((sum, w) => sum + w.spent, 0),
      dotsBudget: ctx.s.dotsBudget,
    };
  }
}
