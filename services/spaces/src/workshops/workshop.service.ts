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
  emptyOutcomes,
  phoenixJourneyAgenda,
  spacesEvents,
  workshopEvents,
  type RpcPayload,
  type RpcResponse,
  type WorkshopCreate,
  type WorkshopPatch,
  type WorkshopView,
  type workshopRpc,
} from '@agora/proto';
import type { Viewer } from '../access/rights.js';
import { viewerOf } from '../access/viewer.js';
import { deadlineInstant } from '../calls/deadline.js';
import { hex, newId, oid } from '../common/object-id.js';
import { CommunityService } from '../communities/community.service.js';
import { MembershipRepository } from '../memberships/membership.repository.js';
import { setCapacity, setFacilitators, touched, type Roster } from '../registrations/roster.js';
import { SpaceRepository, type SpaceFilter } from '../spaces/space.repository.js';
import { WorkshopContextLoader, rosterOf, type WorkshopDoc } from './workshop-context.js';
import { rosterEvents, rosterSet } from './workshop-events.js';
import type { WorkshopFields } from './workshop-fields.schema.js';
import { canManageWorkshop } from './workshop-rights.js';
import { toWorkshopView } from './workshop.view.js';
import { WorkshopWriter } from './workshop-writer.js';

type ListQuery = RpcPayload<typeof workshopRpc.workshopList>;

function invalid(path: string, message: string): RpcFailure {
  return new RpcFailure('VALIDATION_FAILED', message, [{ path: [path], code: 'custom', message }]);
}

/** Fields a calendar app shows: changing one bumps the event's SEQUENCE. */
const calendarFields = new Set([
  'title',
  'description',
  'startsAt',
  'endsAt',
  'timeZone',
  'place',
  'link',
  'format',
  'draft',
]);

interface Times {
  startsAt: Date;
  endsAt: Date;
  registrationClosesAt: Date | null;
}

function checkTimes(t: Times): void {
  if (t.endsAt.getTime() <= t.startsAt.getTime())
    throw invalid('endsAt', 'a workshop ends after it starts');
  if (t.registrationClosesAt && t.registrationClosesAt.getTime() > t.endsAt.getTime())
    throw invalid('registrationClosesAt', 'registration closes before the workshop ends');
}

@Injectable()
export class WorkshopService {
  constructor(
    private readonly spaces: SpaceRepository,
    private readonly memberships: MembershipRepository,
    private readonly communities: CommunityService,
    private readonly contexts: WorkshopContextLoader,
    private readonly writer: WorkshopWriter,
    private readonly clock: Clock,
  ) {}

  /** Facilitators and admins create workshops; the creator facilitates it and trains in its community. */
  async create(actor: VerifiedActor, input: WorkshopCreate): Promise<WorkshopView> {
    if (actor.role !== 'facilitator' && actor.role !== 'admin')
      throw new RpcFailure('FORBIDDEN', 'only facilitators and admins create workshops');
    const viewer = viewerOf(actor);
    const now = this.clock.now();
    const times: Times = {
      startsAt: deadlineInstant(input.startsAt, input.timeZone),
      endsAt: deadlineInstant(input.endsAt, input.timeZone),
      registrationClosesAt: input.registrationClosesAt
        ? deadlineInstant(input.registrationClosesAt, input.timeZone)
        : null,
    };
    checkTimes(times);
    if (times.startsAt.getTime() <= now.getTime())
      throw invalid('startsAt', 'a new workshop starts in the future');
    const community = input.communityId
      ? (await this.communities.visible(viewer, input.communityId)).doc
      : await this.communities.nationalDoc(viewer.memberId, input.country);
    const communityId = hex(community._id);
    const id = newId();
    const facilitators = [...new Set([viewer.memberId, ...input.facilitatorIds])];
    const published = !input.draft;
    const workshop: WorkshopFields = {
      description: input.description,
      country: input.country,
      language: input.language,
      format: input.format,
      timeZone: input.timeZone,
      ...times,
      capacity: input.capacity,
      place: input.place,
      link: input.link,
      agenda: input.agenda ?? phoenixJourneyAgenda(input.language),
      outcomes: emptyOutcomes,
      communityId: oid(communityId),
      stage: published ? 'published' : 'draft',
      publishedAt: published ? now : null,
      facilitators: facilitators.map(oid),
      registered: [],
      waitlist: [],
      attendees: [],
      sequence: 0,
    };
    const roster: Roster = { capacity: input.capacity, facilitators, registered: [], waitlist: [] };
    const events: PendingEvent[] = [
      ...rosterEvents(viewer.memberId, id, facilitators, roster),
      ...(published ? this.publicationEvents(viewer.memberId, id, times.startsAt) : []),
    ];
    await this.spaces.insert(
      {
        _id: oid(id),
        kind: 'workshop',
        title: input.title,
        // A workshop is as open as its community: a private group's workshops stay inside it.
        visibility: community.visibility,
        parentId: oid(communityId),
        createdBy: oid(viewer.memberId),
        createdAt: now,
        updatedAt: now,
        rev: 0,
        membersLockedUntil: null,
        workshop,
      },
      events,
    );
    // Whoever facilitates a workshop trains in its community: they write its guide.
    for (const memberId of facilitators)
      await this.communities.ensureTrainer(communityId, memberId);
    return this.get(actor, id);
  }

  async get(actor: VerifiedActor, id: string): Promise<WorkshopView> {
    const viewer = viewerOf(actor);
    const ctx = await this.contexts.visible(viewer, id);
    return toWorkshopView(ctx, viewer, this.clock.now());
  }

  /** Facilitators change any field; a raised capacity or a new co-facilitator refills from the waiting list. */
  async update(actor: VerifiedActor, id: string, patch: WorkshopPatch): Promise<WorkshopView> {
    const viewer = viewerOf(actor);
    const ctx = await this.contexts.visible(viewer, id);
    if (!canManageWorkshop(viewer, ctx.rosterRole))
      throw new RpcFailure('FORBIDDEN', 'only its facilitators change a workshop');
    const { doc } = await this.writer.change(id, (d, now) => this.plan(viewer, d, patch, now));
    if (patch.facilitatorIds)
      for (const memberId of doc.workshop.facilitators.map(hex))
        await this.communities.ensureTrainer(hex(doc.workshop.communityId), memberId);
    return toWorkshopView(await this.contexts.of(viewer.memberId, doc), viewer, this.clock.now());
  }

  async list(
    actor: VerifiedActor,
    q: ListQuery,
  ): Promise<RpcResponse<typeof workshopRpc.workshopList>> {
    const viewer = viewerOf(actor);
    const now = this.clock.now();
    const base: SpaceFilter = { kind: 'workshop' };
    if (q.country) base['workshop.country'] = q.country;
    if (q.language) base['workshop.language'] = q.language;
    if (q.format) base['workshop.format'] = q.format;
    if (q.communityId) base['workshop.communityId'] = oid(q.communityId);
    if (q.upcoming) base['workshop.endsAt'] = { $gt: now };
    const me = oid(viewer.memberId);
    let filter: SpaceFilter;
    if (q.mine) {
      filter = {
        ...base,
        $or: [
          { 'workshop.facilitators': me },
          { 'workshop.registered': me },
          { 'workshop.waitlist': me },
        ],
      };
    } else if (viewer.isAdmin) {
      filter = base;
    } else {
      const communities = (await this.memberships.spacesOf(viewer.memberId, 'community')).map((m) =>
        oid(m.spaceId),
      );
      filter = {
        ...base,
        $or: [
          { 'workshop.stage': 'published', visibility: 'public' },
          { 'workshop.stage': 'published', 'workshop.communityId': { $in: communities } },
          { 'workshop.facilitators': me },
          { 'workshop.registered': me },
          { 'workshop.waitlist': me },
        ],
      };
    }
    const sort: Record<string, 1 | -1> = q.upcoming
      ? { 'workshop.startsAt': 1 }
      : { 'workshop.startsAt': -1 };
    const page = await this.spaces.page(filter, sort, q.offset, q.limit);
    const items = await Promise.all(
      page.items.map(async (d) =>
        toWorkshopView(await this.contexts.of(viewer.memberId, d as WorkshopDoc), viewer, now),
      ),
    );
    return { total: page.total, items };
  }

  private publicationEvents(actorId: string, id: string, startsAt: Date): PendingEvent[] {
    return [
      pendingEvent(workshopEvents.workshopScheduled, actorId, id, {
        workshopId: id,
        startsAt: startsAt.toISOString(),
      }),
      pendingEvent(workshopEvents.notesOpened, actorId, id, {
        spaceId: id,
        kind: 'workshop',
        docName: docName('notes', id),
      }),
    ];
  }

  /** What one patch writes to the workshop as it is now, with its events. */
  private plan(viewer: Viewer, doc: WorkshopDoc, patch: WorkshopPatch, now: Date) {
    const w = doc.workshop;
    const id = hex(doc._id);
    const set: Record<string, unknown> = {};
    const fields: string[] = [];
    const mark = (field: string, path: string, value: unknown) => {
      set[path] = value;
      fields.push(field);
    };
    const publishing = patch.draft === false && w.stage === 'draft';
    if (patch.draft === true && w.stage === 'published')
      throw new RpcFailure('INVALID_STATE', 'a published workshop cannot go back to draft');

    if (patch.title !== undefined) mark('title', 'title', patch.title);
    for (const key of ['description', 'language', 'format', 'place', 'link'] as const)
      if (patch[key] !== undefined) mark(key, `workshop.${key}`, patch[key]);
    if (patch.agenda !== undefined) mark('agenda', 'workshop.agenda', patch.agenda);
    if (patch.outcomes !== undefined) mark('outcomes', 'workshop.outcomes', patch.outcomes);

    const timeZone = patch.timeZone ?? w.timeZone;
    if (patch.timeZone !== undefined) mark('timeZone', 'workshop.timeZone', patch.timeZone);
    const times: Times = {
      startsAt: patch.startsAt ? deadlineInstant(patch.startsAt, timeZone) : w.startsAt,
      endsAt: patch.endsAt ? deadlineInstant(patch.endsAt, timeZone) : w.endsAt,
      registrationClosesAt:
        patch.registrationClosesAt === undefined
          ? w.registrationClosesAt
          : patch.registrationClosesAt === null
            ? null
            : deadlineInstant(patch.registrationClosesAt, timeZone),
    };
    checkTimes(times);
    const moved = times.startsAt.getTime() !== w.startsAt.getTime();
    if (patch.startsAt !== undefined) mark('startsAt', 'workshop.startsAt', times.startsAt);
    if (patch.endsAt !== undefined) mark('endsAt', 'workshop.endsAt', times.endsAt);
    if (patch.registrationClosesAt !== undefined)
      mark('registrationClosesAt', 'workshop.registrationClosesAt', times.registrationClosesAt);

    // Places are handed on only before it starts: after that nobody is moved in behind their back.
    const refill =
      (publishing || w.stage === 'published') && now.getTime() < times.startsAt.getTime();
    const before = rosterOf(w);
    let change = { roster: before, promoted: [] as string[] };
    if (patch.facilitatorIds !== undefined) {
      const next = [...new Set(patch.facilitatorIds)];
      if (next.length === 0) throw invalid('facilitatorIds', 'a workshop keeps a facilitator');
      change = setFacilitators(change.roster, next, false);
      fields.push('facilitators');
    }
    if (patch.capacity !== undefined) {
      change = { ...change, roster: setCapacity(change.roster, patch.capacity, false).roster };
      fields.push('capacity');
    }
    const refilled = refill ? setCapacity(change.roster, change.roster.capacity, true) : change;
    const roster = refilled.roster;
    const promoted = refilled.promoted;
    const memberIds = touched(before, roster);
    if (memberIds.length > 0 || patch.capacity !== undefined)
      Object.assign(set, rosterSet(roster, oid));

    if (publishing) {
      set['workshop.stage'] = 'published';
      set['workshop.publishedAt'] = now;
      fields.push('status');
    }
    if (fields.some((f) => calendarFields.has(f) || f === 'status'))
      set['workshop.sequence'] = w.sequence + 1;

    const events: PendingEvent[] = [];
    if (fields.length > 0)
      events.push(
        pendingEvent(workshopEvents.workshopUpdated, viewer.memberId, id, {
          workshopId: id,
          fields: [...new Set(fields)],
        }),
      );
    if (publishing) events.push(...this.publicationEvents(viewer.memberId, id, times.startsAt));
    else if (moved && w.stage === 'published')
      events.push(
        pendingEvent(workshopEvents.workshopScheduled, viewer.memberId, id, {
          workshopId: id,
          startsAt: times.startsAt.toISOString(),
        }),
      );
    // Publication opens the notes to the community: collab asks again for every open connection.
    if (publishing)
      events.push(
        pendingEvent(spacesEvents.docAccessChanged, viewer.memberId, id, {
          spaceId: id,
          kind: 'workshop',
        }),
      );
    events.push(...rosterEvents(viewer.memberId, id, memberIds, roster, promoted));
    return { set, events, result: null };
  }
}
