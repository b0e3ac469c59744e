import { Inject, Injectable } from '@nestjs/common';
import {
  Clock,
  pendingEvent,
  PLATFORM_LOGGER,
  RpcFailure,
  type Logger,
  type PendingEvent,
  type VerifiedActor,
} from '@agora/platform';
import {
  maxPitches,
  sessionEvents,
  spacesEvents,
  type BoardArea,
  type PhaseChange,
  type PitchCreate,
  type PitchView,
  type RpcPayload,
  type SessionCreate,
  type SessionPatch,
  type SessionView,
  type SpaceRole,
  type sessionRpc,
} from '@agora/proto';
import { AccessService } from '../access/access.service.js';
import type { Viewer } from '../access/rights.js';
import { viewerOf } from '../access/viewer.js';
import { deadlineInstant } from '../calls/deadline.js';
import { hex, newId, oid } from '../common/object-id.js';
import { SPACES_CONFIG, type SpacesConfig } from '../common/spaces-config.js';
import { MembershipRepository } from '../memberships/membership.repository.js';
import { SpaceRepository, type SpaceFilter } from '../spaces/space.repository.js';
import type { SpaceDoc } from '../spaces/space.schema.js';
import { IdeaRepository } from '../ideas/idea.repository.js';
import { CollabRepository } from '../proposals/collab.repository.js';
import { tallyDots } from '../votes/tally.js';
import { VoteRepository } from '../votes/vote.repository.js';
import type { PitchDoc, SessionFields } from './session-fields.schema.js';
import { isRefusal, movePhase } from './session-phases.js';
import { canFacilitate, canSeeSession, canVote } from './session-rights.js';
import { sessionFacts } from './session-fields.schema.js';
import { isEmbeddable, parseStreamHosts } from './stream-embed.js';
import { toSessionView } from './session.view.js';

/** A session as one member sees it: the space, its fields, their role and area. */
export interface SessionContext {
  space: SpaceDoc;
  s: SessionFields;
  id: string;
  viewer: Viewer;
  role: SpaceRole | null;
  area: BoardArea | null;
}

/** A pitch's summary is a teaser: the whole text stays in the proposal. */
const maxSummary = 600;

const notFound = () => new RpcFailure('NOT_FOUND', 'no such session');

function invalid(path: string, message: string): RpcFailure {
  return new RpcFailure('VALIDATION_FAILED', message, [{ path: [path], code: 'custom', message }]);
}

/** The contract's list query, as the RPC receives it. */
type SessionListQuery = RpcPayload<typeof sessionRpc.sessionList>;

/** Market Place sessions: scheduling, pitches, joining, phases and the board's controls. */
@Injectable()
export class SessionService {
  private readonly streamHosts: string[];

  constructor(
    private readonly spaces: SpaceRepository,
    private readonly memberships: MembershipRepository,
    private readonly access: AccessService,
    private readonly votes: VoteRepository,
    private readonly ideas: IdeaRepository,
    private readonly collab: CollabRepository,
    private readonly clock: Clock,
    @Inject(PLATFORM_LOGGER) private readonly logger: Logger,
    @Inject(SPACES_CONFIG) config: SpacesConfig,
  ) {
    this.streamHosts = parseStreamHosts(config.SESSIONS_STREAM_HOSTS);
  }

  /** Facilitators and admins schedule sessions; the creator becomes its facilitator. */
  async create(actor: VerifiedActor, input: SessionCreate): Promise<SessionView> {
    if (actor.role !== 'facilitator' && actor.role !== 'admin')
      throw new RpcFailure('FORBIDDEN', 'only facilitators and admins schedule sessions');
    const now = this.clock.now();
    const startsAt = deadlineInstant(input.startsAt, input.timeZone);
    const id = newId();
    // The facilitator first: a crash before the session is written leaves a membership of
    // nothing, never a session nobody drives.
    await this.memberships.add(
      {
        spaceId: id,
        kind: 'session',
        memberId: actor.memberId,
        role: 'facilitator',
        addedBy: null,
        addedAt: now,
      },
      [
        pendingEvent(spacesEvents.membershipAdded, actor.memberId, id, {
          spaceId: id,
          kind: 'session',
          memberId: actor.memberId,
          role: 'facilitator',
        }),
      ],
    );
    const session: SessionFields = {
      description: input.description,
      startsAt,
      timeZone: input.timeZone,
      format: input.format,
      place: input.place,
      link: input.link,
      streamUrl: input.streamUrl,
      dotsBudget: input.dotsBudget,
      phase: 'lobby',
      pitchIndex: null,
      endsAt: null,
      startedAt: null,
      voteEndedAt: null,
      closedAt: null,
      closed: false,
      board: { locked: false, hideAuthors: false, spotlightCardId: null },
      pitches: [],
    };
    const doc: Omit<SpaceDoc, 'outbox'> = {
      _id: oid(id),
      kind: 'session',
      title: input.title,
      visibility: input.visibility,
      parentId: null,
      createdBy: oid(actor.memberId),
      createdAt: now,
      updatedAt: now,
      rev: 0,
      membersLockedUntil: null,
      session,
    };
    await this.spaces.insert(doc, [
      pendingEvent(sessionEvents.sessionScheduled, actor.memberId, id, {
        sessionId: id,
        startsAt: startsAt.toISOString(),
      }),
    ]);
    return this.view({
      space: { ...doc, outbox: [] },
      s: session,
      id,
      viewer: viewerOf(actor),
      role: 'facilitator',
      area: null,
    });
  }

  async get(actor: VerifiedActor, id: string): Promise<SessionView> {
    return this.view(await this.load(viewerOf(actor), id));
  }

  /**
   * Upcoming sessions (not closed, soonest first) or past ones (closed, latest first): public
   * ones and those the member is in; admins see all.
   */
  async list(
    actor: VerifiedActor,
    q: SessionListQuery,
  ): Promise<{ total: number; items: SessionView[] }> {
    const viewer = viewerOf(actor);
    const mine = await this.memberships.spacesOf(viewer.memberId, 'session');
    const roles = new Map(mine.map((m) => [m.spaceId, m]));
    const filter: SpaceFilter = { 'session.closed': q.when === 'past', kind: 'session' };
    if (q.mine) filter._id = { $in: mine.map((m) => oid(m.spaceId)) };
    else if (!viewer.isAdmin)
      filter.$or = [{ visibility: 'public' }, { _id: { $in: mine.map((m) => oid(m.spaceId)) } }];
    const sort: Record<string, 1 | -1> =
      q.when === 'past' ? { 'session.startsAt': -1, _id: -1 } : { 'session.startsAt': 1, _id: 1 };
    const page = await this.spaces.page(filter, sort, q.offset, q.limit);
    const items = await Promise.all(
      page.items.map((space) => {
        const id = hex(space._id);
        const m = roles.get(id);
        return this.view({
          space,
          s: space.session!,
          id,
          viewer,
          role: m?.role ?? null,
          area: m?.area ?? null,
        });
      }),
    );
    return { total: page.total, items };
  }

  async update(actor: VerifiedActor, id: string, patch: SessionPatch): Promise<SessionView> {
    const ctx = await this.load(viewerOf(actor), id);
    this.requireFacilitator(ctx);
    if (ctx.s.phase === 'closed')
      throw new RpcFailure('INVALID_STATE', 'a closed session can no longer be edited');
    if (
      patch.dotsBudget !== undefined &&
      ctx.s.phase !== 'lobby' &&
      ctx.s.phase !== 'pitch' &&
      ctx.s.phase !== 'feedback'
    )
      throw new RpcFailure('INVALID_STATE', 'the dots budget is fixed once the vote has started');
    const set: Record<string, unknown> = {};
    const fields: string[] = [];
    const put = (field: string, path: string, value: unknown) => {
      set[path] = value;
      fields.push(field);
    };
    const timeZone = patch.timeZone ?? ctx.s.timeZone;
    if (patch.title !== undefined) put('title', 'title', patch.title);
    if (patch.visibility !== undefined) put('visibility', 'visibility', patch.visibility);
    if (patch.description !== undefined)
      put('description', 'session.description', patch.description);
    if (patch.timeZone !== undefined) put('timeZone', 'session.timeZone', patch.timeZone);
    if (patch.format !== undefined) put('format', 'session.format', patch.format);
    if (patch.place !== undefined) put('place', 'session.place', patch.place);
    if (patch.link !== undefined) put('link', 'session.link', patch.link);
    if (patch.streamUrl !== undefined) put('streamUrl', 'session.streamUrl', patch.streamUrl);
    if (patch.dotsBudget !== undefined) put('dotsBudget', 'session.dotsBudget', patch.dotsBudget);
    let startsAt: Date | null = null;
    if (patch.startsAt !== undefined) {
      startsAt = deadlineInstant(patch.startsAt, timeZone);
      put('startsAt', 'session.startsAt', startsAt);
    }
    const format = patch.format ?? ctx.s.format;
    const place = patch.place !== undefined ? patch.place : ctx.s.place;
    const link = patch.link !== undefined ? patch.link : ctx.s.link;
    const stream = patch.streamUrl !== undefined ? patch.streamUrl : ctx.s.streamUrl;
    if (format !== 'online' && !place)
      throw invalid('place', 'an onsite or mixed session needs a place');
    if (format !== 'onsite' && !link && !stream)
      throw invalid('link', 'an online or mixed session needs a link or a stream URL');
    const actorId = actor.memberId;
    const events: PendingEvent[] = [
      pendingEvent(sessionEvents.sessionUpdated, actorId, id, { sessionId: id, fields }),
    ];
    if (startsAt && startsAt.getTime() !== ctx.s.startsAt.getTime())
      events.push(
        pendingEvent(sessionEvents.sessionScheduled, actorId, id, {
          sessionId: id,
          startsAt: startsAt.toISOString(),
        }),
      );
    if (patch.visibility !== undefined && patch.visibility !== ctx.space.visibility)
      events.push(
        pendingEvent(spacesEvents.docAccessChanged, actorId, id, { spaceId: id, kind: 'session' }),
      );
    return this.write(ctx, { $set: set }, events);
  }

  /**
   * Adds a pitch at the next index: a proposal the facilitator may read (its first lead pitches
   * it), or a free project card. Its leader becomes a pitcher of the session; the pitch becomes an
   * idea of the library through `pitch.added` (consumer `spaces-ideas`).
   */
  async addPitch(actor: VerifiedActor, id: string, input: PitchCreate): Promise<PitchView> {
    const viewer = viewerOf(actor);
    const ctx = await this.load(viewer, id);
    this.requireFacilitator(ctx);
    if (ctx.s.phase === 'closed')
      throw new RpcFailure('INVALID_STATE', 'a closed session takes no more pitches');
    if (ctx.s.pitches.length >= maxPitches)
      throw new RpcFailure('INVALID_STATE', `a session holds at most ${maxPitches} pitches`);
    let pitch: Omit<PitchDoc, 'index' | 'ideaId'>;
    if ('proposalId' in input) {
      const proposal = await this.access.readableProposal(viewer, input.proposalId);
      const team = await this.memberships.listBySpace(input.proposalId);
      const lead = team.find((m) => m.role === 'lead');
      if (!lead) throw new RpcFailure('INVALID_STATE', 'the proposal has no lead to pitch it');
      pitch = {
        title: proposal.proposal.title,
        summary: await this.proposalSummary(proposal.proposal.docName),
        proposalId: oid(input.proposalId),
        leaderId: oid(lead.memberId),
        country: proposal.proposal.country ?? null,
        sector: input.sector ?? null,
      };
      if (ctx.s.pitches.some((p) => p.proposalId && hex(p.proposalId) === input.proposalId))
        throw new RpcFailure('CONFLICT', 'this proposal is already pitched in the session');
    } else {
      pitch = {
        title: input.title,
        summary: input.summary,
        proposalId: null,
        leaderId: oid(input.leaderId),
        country: input.country ?? null,
        sector: input.sector ?? null,
      };
    }
    const index = ctx.s.pitches.length;
    const ideaId = newId();
    const full: PitchDoc = { ...pitch, index, ideaId: oid(ideaId) };
    const now = this.clock.now();
    // The pitch takes the next index only if nobody added one meanwhile (rev unchanged).
    const written = await this.spaces.update(
      id,
      { rev: ctx.space.rev },
      { $push: { 'session.pitches': full } },
      [
        pendingEvent(sessionEvents.pitchAdded, viewer.memberId, id, {
          sessionId: id,
          pitchIndex: index,
          ideaId,
        }),
      ],
      now,
    );
    if (!written) throw new RpcFailure('CONFLICT', 'the session changed meanwhile: retry');
    const leaderId = hex(full.leaderId);
    await this.memberships.add(
      {
        spaceId: id,
        kind: 'session',
        memberId: leaderId,
        role: 'pitcher',
        addedBy: viewer.memberId,
        addedAt: now,
      },
      [
        pendingEvent(spacesEvents.membershipAdded, viewer.memberId, id, {
          spaceId: id,
          kind: 'session',
          memberId: leaderId,
          role: 'pitcher',
        }),
      ],
    );
    return {
      index,
      title: full.title,
      summary: full.summary,
      proposalId: full.proposalId ? hex(full.proposalId) : null,
      leaderId,
      ideaId,
    };
  }

  /** Any member joins a public session that is not closed, as a participant; members keep their role. */
  async join(actor: VerifiedActor, id: string): Promise<SessionView> {
    const viewer = viewerOf(actor);
    const ctx = await this.load(viewer, id);
    if (ctx.role !== null) return this.view(ctx);
    if (ctx.space.visibility !== 'public')
      throw new RpcFailure('FORBIDDEN', 'a private session is joined by invitation only');
    if (ctx.s.phase === 'closed') throw new RpcFailure('INVALID_STATE', 'the session is closed');
    await this.memberships.add(
      {
        spaceId: id,
        kind: 'session',
        memberId: viewer.memberId,
        role: 'participant',
        addedBy: null,
        addedAt: this.clock.now(),
      },
      [
        pendingEvent(spacesEvents.membershipAdded, viewer.memberId, id, {
          spaceId: id,
          kind: 'session',
          memberId: viewer.memberId,
          role: 'participant',
        }),
      ],
    );
    // 'duplicate' (a second tab joined first) leaves them a member all the same.
    return this.view(await this.load(viewer, id));
  }

  /** The facilitator moves the session; the server holds the phase and its deadline. */
  async setPhase(actor: VerifiedActor, id: string, change: PhaseChange): Promise<SessionView> {
    const ctx = await this.load(viewerOf(actor), id);
    this.requireFacilitator(ctx);
    const now = this.clock.now();
    const move = movePhase(
      { phase: ctx.s.phase, pitchIndex: ctx.s.pitchIndex },
      change,
      ctx.s.pitches.length,
      now,
    );
    if (isRefusal(move)) {
      if (move.code === 'INVALID_STATE') throw new RpcFailure('INVALID_STATE', move.message);
      throw invalid(move.path, move.message);
    }
    const set: Record<string, unknown> = {
      'session.phase': move.phase,
      'session.pitchIndex': move.pitchIndex,
      'session.endsAt': move.endsAt,
    };
    const by = actor.memberId;
    const events: PendingEvent[] = [];
    if (move.starts) {
      set['session.startedAt'] = now;
      events.push(pendingEvent(sessionEvents.sessionStarted, by, id, { sessionId: id }));
    }
    if (move.endsVote) set['session.voteEndedAt'] = now;
    if (move.closes) {
      set['session.closedAt'] = now;
      set['session.closed'] = true;
    }
    events.push(
      pendingEvent(sessionEvents.sessionPhaseChanged, by, id, {
        sessionId: id,
        phase: move.phase,
        pitchIndex: move.pitchIndex,
        endsAt: move.endsAt ? move.endsAt.toISOString() : null,
      }),
    );
    // Closing makes the board read-only for everyone: collab re-checks open connections.
    if (move.closes)
      events.push(
        pendingEvent(spacesEvents.docAccessChanged, by, id, { spaceId: id, kind: 'session' }),
      );
    const view = await this.write(ctx, { $set: set }, events);
    if (move.closes) await this.recordIdeaDots(id, ctx.s.pitches.length);
    return view;
  }

  /**
   * The start of the proposal's `summary` section, for the pitch and its idea. Collab unavailable
   * leaves it empty rather than refusing the pitch (the proposal itself is linked from the idea).
   */
  private async proposalSummary(docName: string | undefined): Promise<string> {
    if (!docName) return '';
    try {
      const outline = await this.collab.outline(docName);
      const text = outline.sections.find((s) => s.key === 'summary')?.text.trim() ?? '';
      return text.length > maxSummary ? `${text.slice(0, maxSummary - 1)}…` : text;
    } catch (err) {
      this.logger.warn({ err, docName }, 'proposal summary unavailable for a pitch');
      return '';
    }
  }

  /** Each pitch's idea keeps the dots the vote gave it (set, so a repeat changes nothing). */
  private async recordIdeaDots(id: string, pitchCount: number): Promise<void> {
    const totals = tallyDots(await this.votes.walletsOf(id), pitchCount);
    for (const [index, dots] of totals.entries()) await this.ideas.setSessionDots(id, index, dots);
  }

  /** Lock the board (everyone but the facilitator reads), hide authors, spotlight a card. */
  async setBoard(
    actor: VerifiedActor,
    id: string,
    patch: {
      locked?: boolean | undefined;
      hideAuthors?: boolean | undefined;
      spotlightCardId?: string | null | undefined;
    },
  ): Promise<SessionView> {
    const ctx = await this.load(viewerOf(actor), id);
    this.requireFacilitator(ctx);
    if (ctx.s.phase === 'closed') throw new RpcFailure('INVALID_STATE', 'the session is closed');
    const board = {
      locked: patch.locked ?? ctx.s.board.locked,
      hideAuthors: patch.hideAuthors ?? ctx.s.board.hideAuthors,
      spotlightCardId:
        patch.spotlightCardId !== undefined ? patch.spotlightCardId : ctx.s.board.spotlightCardId,
    };
    const by = actor.memberId;
    const events: PendingEvent[] = [
      pendingEvent(sessionEvents.boardChanged, by, id, { sessionId: id, ...board }),
    ];
    if (board.locked !== ctx.s.board.locked)
      events.push(
        pendingEvent(spacesEvents.docAccessChanged, by, id, { spaceId: id, kind: 'session' }),
      );
    return this.write(ctx, { $set: { 'session.board': board } }, events);
  }

  /** Brings every view to one pitch (an event only: nothing about the session changes). */
  async summon(actor: VerifiedActor, id: string, pitchIndex: number): Promise<{ ok: true }> {
    const ctx = await this.load(viewerOf(actor), id);
    this.requireFacilitator(ctx);
    if (pitchIndex >= ctx.s.pitches.length)
      throw invalid('pitchIndex', `there are ${ctx.s.pitches.length} pitches (0-based index)`);
    await this.write(ctx, {}, [
      pendingEvent(sessionEvents.sessionSummoned, actor.memberId, id, {
        sessionId: id,
        pitchIndex,
      }),
    ]);
    return { ok: true };
  }

  /** The session with the member's role and area; NOT_FOUND for a private one they are not in. */
  async load(viewer: Viewer, id: string): Promise<SessionContext> {
    const space = await this.spaces.findById(id);
    if (!space || space.kind !== 'session' || !space.session) throw notFound();
    const m = await this.memberships.find(id, viewer.memberId);
    const role = m?.role ?? null;
    if (!canSeeSession(sessionFacts(space), viewer, role)) throw notFound();
    return {
      space,
      s: space.session,
      id,
      viewer,
      role,
      area: role === 'expert' ? (m?.area ?? null) : null,
    };
  }

  requireFacilitator(ctx: SessionContext): void {
    if (!canFacilitate(ctx.viewer, ctx.role))
      throw new RpcFailure('FORBIDDEN', "only the session's facilitators drive it");
  }

  private async write(
    ctx: SessionContext,
    update: { $set?: Record<string, unknown> },
    events: readonly PendingEvent[],
  ): Promise<SessionView> {
    // Optimistic: a concurrent move by another facilitator makes this one retry, never interleave.
    const written = await this.spaces.update(
      ctx.id,
      { rev: ctx.space.rev },
      update,
      events,
      this.clock.now(),
    );
    if (!written || !written.session)
      throw new RpcFailure('CONFLICT', 'the session changed meanwhile: reload and retry');
    return this.view({ ...ctx, space: written, s: written.session });
  }

  private async view(ctx: SessionContext): Promise<SessionView> {
    let dotsLeft: number | null = null;
    if (canVote(ctx.role)) {
      const wallet = await this.votes.wallet(ctx.id, ctx.viewer.memberId);
      dotsLeft = ctx.s.dotsBudget - (wallet?.spent ?? 0);
    }
    return toSessionView(ctx.space, ctx.s, {
      role: ctx.role,
      area: ctx.area,
      dotsLeft,
      canFacilitate: canFacilitate(ctx.viewer, ctx.role),
      streamEmbed: isEmbeddable(ctx.s.streamUrl, this.streamHosts),
      now: this.clock.now(),
    });
  }
}
