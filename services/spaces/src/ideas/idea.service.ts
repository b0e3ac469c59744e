import { Injectable } from '@nestjs/common';
import { Clock, pendingEvent, RpcFailure, type VerifiedActor } from '@agora/platform';
import {
  boardAreas,
  sessionEvents,
  type IdeaDetailView,
  type IdeaStatus,
  type IdeaView,
  type Lessons,
  type RpcPayload,
  type RpcResponse,
  type ideaRpc,
} from '@agora/proto';
import { proposalWriters, type Viewer } from '../access/rights.js';
import { viewerOf } from '../access/viewer.js';
import { CardRepository } from '../board/card.repository.js';
import { hex, oid } from '../common/object-id.js';
import { MembershipRepository } from '../memberships/membership.repository.js';
import { searchKeys, titlePrefixes } from '../proposals/title-search.js';
import { SpaceRepository } from '../spaces/space.repository.js';
import { IdeaRepository, type IdeaFilter } from './idea.repository.js';
import type { IdeaDoc } from './idea.schema.js';
import { toIdeaView } from './idea.view.js';

type ListQuery = RpcPayload<typeof ideaRpc.ideaList>;
type Support = RpcResponse<typeof ideaRpc.supportSet>;

const notFound = () => new RpcFailure('NOT_FOUND', 'no such idea');

/** The ideas library: every pitch, its status, lessons, feedback by area and support. */
@Injectable()
export class IdeaService {
  constructor(
    private readonly ideas: IdeaRepository,
    private readonly spaces: SpaceRepository,
    private readonly memberships: MembershipRepository,
    private readonly cards: CardRepository,
    private readonly clock: Clock,
  ) {}

  /** `pitch.added` → the pitch's idea (once: a redelivery finds it). */
  async createFromPitch(
    sessionId: string,
    pitchIndex: number,
    ideaId: string,
  ): Promise<'created' | 'duplicate' | 'no-pitch'> {
    const space = await this.spaces.findById(sessionId);
    const pitch = space?.session?.pitches.find((p) => p.index === pitchIndex);
    if (!space || !pitch) return 'no-pitch';
    const now = this.clock.now();
    return this.ideas.insert({
      _id: oid(ideaId),
      sessionId: oid(sessionId),
      pitchIndex,
      title: pitch.title,
      summary: pitch.summary,
      status: 'in-progress',
      country: pitch.country,
      sector: pitch.sector,
      proposalId: pitch.proposalId,
      leaderId: pitch.leaderId,
      sessionPublic: space.visibility === 'public',
      areas: [],
      lessons: null,
      lessonsUpdatedAt: null,
      supporters: [],
      supportCount: 0,
      sessionDots: 0,
      titlePrefixes: titlePrefixes(pitch.title),
      createdAt: now,
      updatedAt: now,
    });
  }

  /** Newest first; ideas of private sessions only for their members (and admins). */
  async list(actor: VerifiedActor, q: ListQuery): Promise<{ total: number; items: IdeaView[] }> {
    const viewer = viewerOf(actor);
    const filter: IdeaFilter = {};
    if (q.status) filter.status = q.status;
    if (q.country) filter.country = q.country;
    if (q.sector) filter.sector = q.sector;
    if (q.area) filter.areas = q.area;
    if (q.q) {
      const keys = searchKeys(q.q);
      if (keys.length > 0) filter.titlePrefixes = { $all: keys };
    }
    if (!viewer.isAdmin) {
      const mine = await this.memberships.spacesOf(viewer.memberId, 'session');
      filter.$or = [
        { sessionPublic: true },
        { sessionId: { $in: mine.map((m) => oid(m.spaceId)) } },
      ];
    }
    const page = await this.ideas.page(filter, q.offset, q.limit);
    const ids = page.items.map((d) => hex(d._id));
    const supported = await this.ideas.supportedAmong(ids, viewer.memberId);
    const items = await Promise.all(
      page.items.map(async (d) =>
        toIdeaView(d, supported.has(hex(d._id)), await this.isTeam(viewer, d)),
      ),
    );
    return { total: page.total, items };
  }

  async get(actor: VerifiedActor, id: string): Promise<IdeaDetailView> {
    const viewer = viewerOf(actor);
    const idea = await this.readable(viewer, id);
    const [supported, team, cards] = await Promise.all([
      this.ideas.supports(id, viewer.memberId),
      this.isTeam(viewer, idea),
      this.cards.acceptedOfIdea(id),
    ]);
    return {
      ...toIdeaView(idea, supported, team),
      feedback: boardAreas.map((area) => ({
        area,
        cards: cards
          .filter((c) => c.area === area)
          .map((c) => ({
            cardId: c.cardId,
            authorId: hex(c.authorId),
            text: c.text,
            createdAt: c.cardCreatedAt.toISOString(),
          })),
      })),
    };
  }

  /** Its team writes what worked, what failed and why. */
  async setLessons(actor: VerifiedActor, id: string, lessons: Lessons): Promise<IdeaView> {
    const viewer = viewerOf(actor);
    const idea = await this.readable(viewer, id);
    if (!(await this.isTeam(viewer, idea)))
      throw new RpcFailure('FORBIDDEN', "only the idea's team writes its lessons");
    const now = this.clock.now();
    const written = await this.ideas.update(
      id,
      {},
      { $set: { lessons, lessonsUpdatedAt: now } },
      [
        pendingEvent(sessionEvents.ideaLessonsUpdated, viewer.memberId, id, {
          ideaId: id,
          updatedBy: viewer.memberId,
        }),
      ],
      now,
    );
    if (!written) throw notFound();
    return toIdeaView(written, await this.ideas.supports(id, viewer.memberId), true);
  }

  /** Its team, the session's facilitators and admins set its status (failures are kept). */
  async setStatus(actor: VerifiedActor, id: string, status: IdeaStatus): Promise<IdeaView> {
    const viewer = viewerOf(actor);
    const idea = await this.readable(viewer, id);
    const team = await this.isTeam(viewer, idea);
    const facilitator =
      (await this.memberships.find(hex(idea.sessionId), viewer.memberId))?.role === 'facilitator';
    if (!team && !facilitator)
      throw new RpcFailure(
        'FORBIDDEN',
        "only the idea's team and its session's facilitators set its status",
      );
    const supported = await this.ideas.supports(id, viewer.memberId);
    if (idea.status === status) return toIdeaView(idea, supported, team);
    const written = await this.ideas.update(
      id,
      { status: idea.status },
      { $set: { status } },
      [pendingEvent(sessionEvents.ideaStatusChanged, viewer.memberId, id, { ideaId: id, status })],
      this.clock.now(),
    );
    if (!written)
      throw new RpcFailure('CONFLICT', 'the status changed meanwhile: reload and retry');
    return toIdeaView(written, supported, team);
  }

  /** Once per member: supporting again (or withdrawing again) changes nothing and says so. */
  async setSupport(actor: VerifiedActor, id: string, supported: boolean): Promise<Support> {
    const viewer = viewerOf(actor);
    await this.readable(viewer, id);
    const me = oid(viewer.memberId);
    const now = this.clock.now();
    const data = { ideaId: id, memberId: viewer.memberId };
    const written = supported
      ? await this.ideas.update(
          id,
          { supporters: { $ne: me } },
          { $push: { supporters: me }, $inc: { supportCount: 1 } },
          [pendingEvent(sessionEvents.ideaSupported, viewer.memberId, id, data)],
          now,
        )
      : await this.ideas.update(
          id,
          { supporters: me },
          { $pull: { supporters: me }, $inc: { supportCount: -1 } },
          [pendingEvent(sessionEvents.ideaSupportWithdrawn, viewer.memberId, id, data)],
          now,
        );
    const idea = written ?? (await this.ideas.findById(id));
    if (!idea) throw notFound();
    return { ideaId: id, supported, supportCount: idea.supportCount };
  }

  private async readable(viewer: Viewer, id: string): Promise<IdeaDoc> {
    const idea = await this.ideas.findById(id);
    if (!idea) throw notFound();
    if (idea.sessionPublic || viewer.isAdmin) return idea;
    if (await this.memberships.find(hex(idea.sessionId), viewer.memberId)) return idea;
    throw notFound();
  }

  /** Its leader, and the leads and co-authors of its proposal (admins act as the team too). */
  private async isTeam(viewer: Viewer, idea: IdeaDoc): Promise<boolean> {
    if (viewer.isAdmin || hex(idea.leaderId) === viewer.memberId) return true;
    if (!idea.proposalId) return false;
    const m = await this.memberships.find(hex(idea.proposalId), viewer.memberId);
    return m !== null && proposalWriters.includes(m.role);
  }
}
