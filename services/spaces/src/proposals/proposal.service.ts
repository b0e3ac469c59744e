import { Injectable } from '@nestjs/common';
import {
  Clock,
  pendingEvent,
  RpcFailure,
  type PendingEvent,
  type VerifiedActor,
} from '@agora/platform';
import {
  docName,
  spacesEvents,
  type ProposalStatus,
  type ProposalView,
  type SpaceRole,
} from '@agora/proto';
import { AccessService, reviewersOf, type ProposalContext } from '../access/access.service.js';
import { canSeeCall, proposalRight } from '../access/rights.js';
import { viewerOf } from '../access/viewer.js';
import { callStatus } from '../calls/call.view.js';
import { hex, newId, oid } from '../common/object-id.js';
import { MembershipRepository } from '../memberships/membership.repository.js';
import { SpaceRepository, type SpaceFilter } from '../spaces/space.repository.js';
import type { SpaceDoc } from '../spaces/space.schema.js';
import { CollabRepository } from './collab.repository.js';
import { toProposalView } from './proposal.view.js';
import { submissionChecks } from './submission-checks.js';
import { searchKeys, titlePrefixes } from './title-search.js';

export interface ProposalListQuery {
  callId?: string | undefined;
  country?: string | undefined;
  status?: ProposalStatus | undefined;
  mine?: boolean | undefined;
  reviewing?: boolean | undefined;
  q?: string | undefined;
  offset: number;
  limit: number;
}

export interface ProposalPatch {
  title?: string | undefined;
  country?: string | null | undefined;
  openToMembers?: boolean | undefined;
}

/** Statuses a proposal may still be withdrawn from: any before a decision. */
const withdrawable: readonly ProposalStatus[] = ['draft', 'submitted', 'in-review'];
/** Statuses a decision (and a reviewer assignment) applies to. */
const underReview: readonly ProposalStatus[] = ['submitted', 'in-review'];

function invalidState(status: ProposalStatus, what: string): RpcFailure {
  return new RpcFailure('INVALID_STATE', `a proposal that is ${status} cannot ${what}`);
}

@Injectable()
export class ProposalService {
  constructor(
    private readonly spaces: SpaceRepository,
    private readonly memberships: MembershipRepository,
    private readonly access: AccessService,
    private readonly collab: CollabRepository,
    private readonly clock: Clock,
  ) {}

  /**
   * Any member starts a proposal in an open call they can see and becomes its lead. The document is
   * seeded by spaces' own consumer of `proposal.created`, so a collab outage delays it, never loses it.
   */
  async create(
    actor: VerifiedActor,
    input: { callId: string; title: string; country?: string | undefined },
  ): Promise<ProposalView> {
    const viewer = viewerOf(actor);
    const call = await this.spaces.findById(input.callId);
    if (!call || call.kind !== 'call') throw new RpcFailure('NOT_FOUND', 'no such call');
    const callRole = (await this.memberships.find(input.callId, viewer.memberId))?.role ?? null;
    if (
      !canSeeCall({ visibility: call.visibility, stage: call.stage ?? 'draft' }, viewer, callRole)
    )
      throw new RpcFailure('FORBIDDEN', 'this call is not published, or private to its members');
    const now = this.clock.now();
    const status = callStatus(call, now);
    if (status !== 'open')
      throw new RpcFailure('INVALID_STATE', `the call is ${status}: proposals start in open calls`);
    const eligible = call.eligibleCountries ?? [];
    if (eligible.length > 0 && (!input.country || !eligible.includes(input.country))) {
      const message = `this call accepts proposals from ${eligible.join(', ')}: give one of them as country`;
      throw new RpcFailure('VALIDATION_FAILED', message, [
        { path: ['country'], code: 'custom', message },
      ]);
    }
    const id = newId();
    const name = docName('proposal', id);
    // The lead first: a crash before the proposal is written leaves a membership of nothing.
    await this.memberships.add(
      {
        spaceId: id,
        kind: 'proposal',
        memberId: viewer.memberId,
        role: 'lead',
        addedBy: null,
        addedAt: now,
      },
      [
        pendingEvent(spacesEvents.membershipAdded, viewer.memberId, id, {
          spaceId: id,
          kind: 'proposal',
          memberId: viewer.memberId,
          role: 'lead',
        }),
      ],
    );
    const doc: Omit<SpaceDoc, 'outbox'> = {
      _id: oid(id),
      kind: 'proposal',
      title: input.title,
      visibility: 'private',
      parentId: oid(input.callId),
      createdBy: oid(viewer.memberId),
      createdAt: now,
      updatedAt: now,
      rev: 0,
      membersLockedUntil: null,
      // the skeleton the call asks for today; later edits of the call do not reshape it
      sections: (call.sections ?? []).map((s) => ({ key: s.key, heading: s.heading })),
      status: 'draft',
      openToMembers: false,
      country: input.country ?? null,
      docName: name,
      seeded: false,
      submissions: [],
      reviewers: [],
      decision: null,
      titlePrefixes: titlePrefixes(input.title),
    };
    await this.spaces.insert(doc, [
      pendingEvent(spacesEvents.proposalCreated, viewer.memberId, id, {
        proposalId: id,
        callId: input.callId,
        status: 'draft',
        docName: name,
      }),
    ]);
    return toProposalView({ ...doc, outbox: [] }, 'lead', 'write');
  }

  async get(actor: VerifiedActor, id: string): Promise<ProposalView> {
    const ctx = await this.access.readableProposal(viewerOf(actor), id);
    return toProposalView(ctx.proposal, ctx.teamRole, ctx.right);
  }

  /** Leads (and admins) rename it or set its country while it is a draft, and open it to members. */
  async update(actor: VerifiedActor, id: string, patch: ProposalPatch): Promise<ProposalView> {
    const viewer = viewerOf(actor);
    const ctx = await this.access.readableProposal(viewer, id);
    if (ctx.teamRole !== 'lead' && !viewer.isAdmin)
      throw new RpcFailure('FORBIDDEN', "only the proposal's leads change it");
    const p = ctx.proposal;
    const status = p.status ?? 'draft';
    const set: Partial<SpaceDoc> = {};
    if (patch.title !== undefined || patch.country !== undefined) {
      if (status !== 'draft') throw invalidState(status, 'be renamed or moved (it was submitted)');
      if (patch.title !== undefined) {
        set.title = patch.title;
        set.titlePrefixes = titlePrefixes(patch.title);
      }
      if (patch.country !== undefined) set.country = patch.country;
    }
    if (patch.openToMembers !== undefined) set.openToMembers = patch.openToMembers;
    const fields = Object.keys(set).filter((f) => f !== 'titlePrefixes');
    const now = this.clock.now();
    const events: PendingEvent[] = [
      pendingEvent(spacesEvents.proposalUpdated, viewer.memberId, id, {
        proposalId: id,
        callId: ctx.callId,
        status,
        fields,
      }),
    ];
    if (patch.openToMembers !== undefined && patch.openToMembers !== (p.openToMembers ?? false))
      events.push(this.rightsChanged(viewer.memberId, id));
    const updated = await this.spaces.update(id, { rev: p.rev }, { $set: set }, events, now);
    if (!updated)
      throw new RpcFailure('CONFLICT', 'the proposal changed meanwhile: reload and retry');
    return this.viewFor(viewer.memberId, updated, ctx);
  }

  async list(
    actor: VerifiedActor,
    q: ProposalListQuery,
  ): Promise<{ total: number; items: ProposalView[] }> {
    const viewer = viewerOf(actor);
    const me = oid(viewer.memberId);
    const [team, calls] = await Promise.all([
      this.memberships.spacesOf(viewer.memberId, 'proposal'),
      this.memberships.spacesOf(viewer.memberId, 'call'),
    ]);
    const teamRoles = new Map(team.map((m) => [m.spaceId, m.role]));
    const callRoles = new Map(calls.map((m) => [m.spaceId, m.role]));
    const owned = calls.filter((m) => m.role === 'owner').map((m) => m.spaceId);

    const filter: SpaceFilter = { kind: 'proposal' };
    if (q.callId) filter.parentId = oid(q.callId);
    if (q.country) filter.country = q.country;
    if (q.status) filter.status = q.status;
    const keys = q.q ? searchKeys(q.q) : [];
    const [first, ...rest] = keys;
    if (first !== undefined) filter.titlePrefixes = first;
    if (rest.length > 0) filter.$and = rest.map((k) => ({ titlePrefixes: k }));
    if (q.mine) filter._id = { $in: team.map((m) => oid(m.spaceId)) };
    if (q.reviewing) filter.reviewers = me;
    const ownsTheCall = q.callId !== undefined && owned.includes(q.callId);
    // A member sees their teams', those they review, those opened to members, and their calls':
    // disjoint branches (each excludes what an earlier one holds), one indexed query each.
    const teamIds = team.map((m) => oid(m.spaceId));
    const closed = { openToMembers: false };
    const page =
      !viewer.isAdmin && !q.mine && !q.reviewing && !ownsTheCall
        ? await this.spaces.pageUnion(
            filter,
            [
              { openToMembers: true },
              ...(teamIds.length > 0 ? [{ ...closed, _id: { $in: teamIds } }] : []),
              { ...closed, reviewers: me, _id: { $nin: teamIds } },
              // with a call filter (of a call they do not own) this branch would widen it
              ...(owned.length > 0 && !q.callId
                ? [
                    {
                      ...closed,
                      parentId: { $in: owned.map(oid) },
                      _id: { $nin: teamIds },
                      reviewers: { $ne: me },
                    },
                  ]
                : []),
            ],
            q.offset,
            q.limit,
          )
        : await this.spaces.page(filter, { createdAt: -1 }, q.offset, q.limit);
    return {
      total: page.total,
      items: page.items.map((p) => {
        const teamRole = teamRoles.get(hex(p._id)) ?? null;
        const callRole = p.parentId ? (callRoles.get(hex(p.parentId)) ?? null) : null;
        return toProposalView(p, teamRole, this.rightOf(viewer.memberId, p, teamRole, callRole));
      }),
    };
  }

  /**
   * The lead submits a draft before the call's deadline, once the document (read from collab, not
   * the browser) has every required section filled and a valid budget within the cap; a version
   * is frozen and the document becomes read-only for everyone.
   */
  async submit(actor: VerifiedActor, id: string): Promise<ProposalView> {
    const viewer = viewerOf(actor);
    const ctx = await this.access.readableProposal(viewer, id);
    if (ctx.teamRole !== 'lead')
      throw new RpcFailure('FORBIDDEN', "only the proposal's leads submit it");
    const p = ctx.proposal;
    const status = p.status ?? 'draft';
    if (status !== 'draft') throw invalidState(status, 'be submitted (reopen it first)');
    const call = await this.spaces.findById(ctx.callId);
    if (!call) throw new RpcFailure('NOT_FOUND', "the proposal's call is gone");
    const now = this.clock.now();
    const callNow = callStatus(call, now);
    if (callNow !== 'open')
      throw new RpcFailure(
        'INVALID_STATE',
        `the call is ${callNow}: its deadline was ${(call.deadline ?? now).toISOString()}`,
      );
    const name = p.docName ?? docName('proposal', id);
    const outline = await this.collab.outline(name);
    const failing = submissionChecks(outline, {
      sections: p.sections ?? call.sections ?? [],
      maxPerProject: call.maxPerProject ?? 0,
      currency: call.currency ?? 'EUR',
    });
    if (failing.length > 0)
      throw new RpcFailure(
        'UNPROCESSABLE',
        `the proposal cannot be submitted yet: ${failing.length} check(s) failed`,
        failing,
      );
    const version = await this.collab.freeze(
      name,
      `Submitted ${now.toISOString().slice(0, 16).replace('T', ' ')} UTC`,
      viewer.memberId,
    );
    const at = this.clock.now();
    // The deadline is checked again against the time of the write: a freeze that ran past it is too late.
    if ((call.deadline?.getTime() ?? 0) <= at.getTime())
      throw new RpcFailure(
        'INVALID_STATE',
        'the deadline passed while the proposal was being submitted',
      );
    const updated = await this.spaces.update(
      id,
      { status: 'draft' },
      {
        $set: { status: 'submitted' },
        $push: {
          submissions: {
            versionId: version.id,
            submittedAt: at,
            submittedBy: oid(viewer.memberId),
          },
        },
      },
      [
        pendingEvent(spacesEvents.proposalSubmitted, viewer.memberId, id, {
          proposalId: id,
          callId: ctx.callId,
          status: 'submitted',
          versionId: version.id,
        }),
        this.rightsChanged(viewer.memberId, id),
      ],
      at,
    );
    if (!updated)
      throw new RpcFailure('INVALID_STATE', 'the proposal was submitted or withdrawn meanwhile');
    return this.viewFor(viewer.memberId, updated, ctx);
  }

  /** The lead withdraws it any time before a decision; withdrawn is final. */
  async withdraw(actor: VerifiedActor, id: string): Promise<ProposalView> {
    const viewer = viewerOf(actor);
    const ctx = await this.access.readableProposal(viewer, id);
    if (ctx.teamRole !== 'lead')
      throw new RpcFailure('FORBIDDEN', "only the proposal's leads withdraw it");
    const previous = ctx.proposal.status ?? 'draft';
    if (!withdrawable.includes(previous)) throw invalidState(previous, 'be withdrawn');
    const now = this.clock.now();
    const updated = await this.spaces.update(
      id,
      { status: previous },
      { $set: { status: 'withdrawn' } },
      [
        pendingEvent(spacesEvents.proposalWithdrawn, viewer.memberId, id, {
          proposalId: id,
          callId: ctx.callId,
          status: 'withdrawn',
          previous,
        }),
        this.rightsChanged(viewer.memberId, id),
      ],
      now,
    );
    if (!updated)
      throw new RpcFailure('CONFLICT', 'the proposal changed meanwhile: reload and retry');
    return this.viewFor(viewer.memberId, updated, ctx);
  }

  /**
   * A lead takes a submitted proposal back to draft to revise it, before the deadline and before
   * any reviewer is assigned; its next submission freezes a new version (reviewers can diff them).
   */
  async reopen(actor: VerifiedActor, id: string): Promise<ProposalView> {
    const viewer = viewerOf(actor);
    const ctx = await this.access.readableProposal(viewer, id);
    if (ctx.teamRole !== 'lead')
      throw new RpcFailure('FORBIDDEN', "only the proposal's leads reopen it");
    const status = ctx.proposal.status ?? 'draft';
    if (status !== 'submitted') throw invalidState(status, 'be reopened (only a submitted one)');
    const call = await this.spaces.findById(ctx.callId);
    const now = this.clock.now();
    if (!call || callStatus(call, now) !== 'open')
      throw new RpcFailure('INVALID_STATE', 'the call is closed: the submitted version stands');
    const updated = await this.spaces.update(
      id,
      { status: 'submitted', reviewers: { $size: 0 } },
      { $set: { status: 'draft' } },
      [
        pendingEvent(spacesEvents.proposalReopened, viewer.memberId, id, {
          proposalId: id,
          callId: ctx.callId,
          status: 'draft',
        }),
        this.rightsChanged(viewer.memberId, id),
      ],
      now,
    );
    if (!updated) throw new RpcFailure('INVALID_STATE', 'the proposal went into review meanwhile');
    return this.viewFor(viewer.memberId, updated, ctx);
  }

  /** The call's owners (and admins) assign reviewers; a submitted proposal moves to in review. */
  async assignReviewer(
    actor: VerifiedActor,
    id: string,
    reviewerId: string,
  ): Promise<ProposalView> {
    const viewer = viewerOf(actor);
    const ctx = await this.access.readableProposal(viewer, id);
    this.requireCallOwner(viewer.isAdmin, ctx, 'assign reviewers');
    const status = ctx.proposal.status ?? 'draft';
    if (!underReview.includes(status)) throw invalidState(status, 'get reviewers');
    if (reviewersOf(ctx.proposal).includes(reviewerId))
      throw new RpcFailure('CONFLICT', 'this reviewer is already assigned');
    if (await this.memberships.find(id, reviewerId))
      throw new RpcFailure('CONFLICT', "a member of the proposal's team cannot review it");
    const now = this.clock.now();
    const updated = await this.spaces.update(
      id,
      { status: { $in: underReview }, reviewers: { $ne: oid(reviewerId) } },
      { $set: { status: 'in-review' }, $addToSet: { reviewers: oid(reviewerId) } },
      [
        pendingEvent(spacesEvents.reviewerAssigned, viewer.memberId, id, {
          proposalId: id,
          callId: ctx.callId,
          status: 'in-review',
          reviewerId,
        }),
        this.rightsChanged(viewer.memberId, id),
      ],
      now,
    );
    if (!updated)
      throw new RpcFailure('CONFLICT', 'the proposal changed meanwhile: reload and retry');
    return this.viewFor(viewer.memberId, updated, ctx);
  }

  /** The call's owners (and admins) decide a submitted or in-review proposal. */
  async decide(
    actor: VerifiedActor,
    id: string,
    input: { outcome: 'funded' | 'not-funded'; note: string },
  ): Promise<ProposalView> {
    const viewer = viewerOf(actor);
    const ctx = await this.access.readableProposal(viewer, id);
    this.requireCallOwner(viewer.isAdmin, ctx, 'decide');
    // As for reviewing: nobody decides on a proposal they write (an admin answers for the call).
    if (!viewer.isAdmin && ctx.teamRole !== null)
      throw new RpcFailure('FORBIDDEN', "a member of the proposal's team cannot decide it");
    const status = ctx.proposal.status ?? 'draft';
    if (!underReview.includes(status)) throw invalidState(status, 'be decided');
    const now = this.clock.now();
    const updated = await this.spaces.update(
      id,
      { status: { $in: underReview } },
      {
        $set: {
          status: input.outcome,
          decision: {
            outcome: input.outcome,
            note: input.note,
            decidedBy: oid(viewer.memberId),
            decidedAt: now,
          },
        },
      },
      [
        pendingEvent(spacesEvents.proposalDecided, viewer.memberId, id, {
          proposalId: id,
          callId: ctx.callId,
          status: input.outcome,
          outcome: input.outcome,
        }),
      ],
      now,
    );
    if (!updated)
      throw new RpcFailure('INVALID_STATE', 'the proposal was decided or withdrawn meanwhile');
    return this.viewFor(viewer.memberId, updated, ctx);
  }

  /** Seeds the document once (the consumer of `proposal.created`); true when it is seeded now. */
  async seed(id: string): Promise<'seeded' | 'already' | 'gone'> {
    const p = await this.spaces.findById(id);
    if (!p || p.kind !== 'proposal') return 'gone';
    if (p.seeded) return 'already';
    const name = p.docName ?? docName('proposal', id);
    await this.collab.seed(
      name,
      (p.sections ?? []).map((s) => ({ key: s.key, heading: s.heading })),
    );
    const callId = p.parentId ? hex(p.parentId) : id;
    // `mark`, not `update`: a lead who opens the proposal right after creating it holds the `rev`
    // it was created with, and seeding in the background must not turn their write into a conflict.
    await this.spaces.mark(
      id,
      { seeded: false },
      { seeded: true },
      [
        pendingEvent(spacesEvents.proposalSeeded, null, id, {
          proposalId: id,
          callId,
          status: p.status ?? 'draft',
        }),
      ],
      this.clock.now(),
    );
    return 'seeded';
  }

  private requireCallOwner(isAdmin: boolean, ctx: ProposalContext, what: string): void {
    if (!isAdmin && ctx.callRole !== 'owner')
      throw new RpcFailure('FORBIDDEN', `only the call's owners and admins ${what}`);
  }

  private rightsChanged(actorId: string, id: string): PendingEvent {
    return pendingEvent(spacesEvents.docAccessChanged, actorId, id, {
      spaceId: id,
      kind: 'proposal',
    });
  }

  private rightOf(
    memberId: string,
    p: SpaceDoc,
    teamRole: SpaceRole | null,
    callRole: SpaceRole | null,
  ) {
    return proposalRight(
      {
        status: p.status ?? 'draft',
        openToMembers: p.openToMembers ?? false,
        reviewers: reviewersOf(p),
      },
      memberId,
      teamRole,
      callRole,
    );
  }

  private viewFor(memberId: string, p: SpaceDoc, ctx: ProposalContext): ProposalView {
    return toProposalView(p, ctx.teamRole, this.rightOf(memberId, p, ctx.teamRole, ctx.callRole));
  }
}
