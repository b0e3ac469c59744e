import { Injectable } from '@nestjs/common';
import { Clock, pendingEvent, RpcFailure, type VerifiedActor } from '@agora/platform';
import { spacesEvents, type Criterion, type ReviewView } from '@agora/proto';
import { AccessService, reviewersOf } from '../access/access.service.js';
import { viewerOf } from '../access/viewer.js';
import { hex, newId } from '../common/object-id.js';
import { SpaceRepository } from '../spaces/space.repository.js';
import { ReviewRepository } from './review.repository.js';
import type { ReviewDoc, ScoreDoc } from './review.schema.js';

const decided = ['funded', 'not-funded'];

function toView(d: ReviewDoc): ReviewView {
  return {
    id: hex(d._id),
    proposalId: hex(d.proposalId),
    reviewerId: hex(d.reviewerId),
    scores: d.scores.map((s) => ({ criterion: s.criterion, score: s.score, comment: s.comment })),
    comment: d.comment,
    weightedScore: d.weightedScore,
    createdAt: d.createdAt.toISOString(),
    updatedAt: d.updatedAt.toISOString(),
  };
}

/** Σ score × weight / Σ weight, rounded to 2 decimals; null without criteria. */
export function weightedScore(
  scores: readonly ScoreDoc[],
  criteria: readonly Criterion[],
): number | null {
  const weights = criteria.reduce((sum, c) => sum + c.weight, 0);
  if (weights === 0) return null;
  const sum = criteria.reduce(
    (acc, c) => acc + (scores.find((s) => s.criterion === c.key)?.score ?? 0) * c.weight,
    0,
  );
  return Math.round((sum / weights) * 100) / 100;
}

/** Which criteria a review misses, repeats or invents (the 422's details). */
export function scoreProblems(
  scores: readonly { criterion: string }[],
  criteria: readonly Criterion[],
): { check: string; criterion: string; message: string }[] {
  const problems: { check: string; criterion: string; message: string }[] = [];
  const keys = new Set(criteria.map((c) => c.key));
  const seen = new Set<string>();
  for (const s of scores) {
    if (!keys.has(s.criterion))
      problems.push({
        check: 'criterion-unknown',
        criterion: s.criterion,
        message: `the call has no criterion "${s.criterion}"`,
      });
    else if (seen.has(s.criterion))
      problems.push({
        check: 'criterion-repeated',
        criterion: s.criterion,
        message: `"${s.criterion}" is scored twice`,
      });
    seen.add(s.criterion);
  }
  for (const c of criteria)
    if (!seen.has(c.key))
      problems.push({
        check: 'criterion-missing',
        criterion: c.key,
        message: `"${c.title}" has no score`,
      });
  return problems;
}

@Injectable()
export class ReviewService {
  constructor(
    private readonly access: AccessService,
    private readonly spaces: SpaceRepository,
    private readonly reviews: ReviewRepository,
    private readonly clock: Clock,
  ) {}

  /** An assigned reviewer scores every criterion of the call with a comment, while it is in review. */
  async submit(
    actor: VerifiedActor,
    id: string,
    input: { scores: ScoreDoc[]; comment: string },
  ): Promise<ReviewView> {
    const viewer = viewerOf(actor);
    const ctx = await this.access.readableProposal(viewer, id);
    if (!reviewersOf(ctx.proposal).includes(viewer.memberId))
      throw new RpcFailure('FORBIDDEN', 'only reviewers assigned to this proposal review it');
    const status = ctx.proposal.status ?? 'draft';
    if (status !== 'in-review')
      throw new RpcFailure('INVALID_STATE', `a proposal that is ${status} takes no reviews`);
    const call = await this.spaces.findById(ctx.callId);
    const criteria = call?.criteria ?? [];
    const problems = scoreProblems(input.scores, criteria);
    if (problems.length > 0)
      throw new RpcFailure(
        'UNPROCESSABLE',
        "the review must score each of the call's criteria once",
        problems,
      );
    const now = this.clock.now();
    const doc = await this.reviews.upsert(
      id,
      viewer.memberId,
      newId(),
      {
        scores: input.scores,
        comment: input.comment,
        weightedScore: weightedScore(input.scores, criteria),
      },
      (reviewId) => [
        pendingEvent(spacesEvents.reviewSubmitted, viewer.memberId, id, {
          proposalId: id,
          callId: ctx.callId,
          status,
          reviewId,
          reviewerId: viewer.memberId,
        }),
      ],
      now,
    );
    return toView(doc);
  }

  /**
   * The call's owners and admins see every review; a reviewer sees their own until the decision
   * and every one after it; the team sees them all once decided (nothing before).
   */
  async list(actor: VerifiedActor, id: string): Promise<{ items: ReviewView[] }> {
    const viewer = viewerOf(actor);
    const ctx = await this.access.readableProposal(viewer, id);
    const isDecided = decided.includes(ctx.proposal.status ?? 'draft');
    const all = (await this.reviews.listByProposal(id)).map(toView);
    if (viewer.isAdmin || ctx.callRole === 'owner') return { items: all };
    if (reviewersOf(ctx.proposal).includes(viewer.memberId))
      return { items: isDecided ? all : all.filter((r) => r.reviewerId === viewer.memberId) };
    if (ctx.teamRole) return { items: isDecided ? all : [] };
    throw new RpcFailure(
      'FORBIDDEN',
      "reviews are for the team, the reviewers and the call's owners",
    );
  }
}
