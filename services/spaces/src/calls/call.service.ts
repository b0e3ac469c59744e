import { Injectable } from '@nestjs/common';
import { Clock, pendingEvent, RpcFailure, type VerifiedActor } from '@agora/platform';
import {
  spacesEvents,
  type CallCreate,
  type CallPatch,
  type CallView,
  type SpaceRole,
} from '@agora/proto';
import { canManageMembers, canSeeCall, type Viewer } from '../access/rights.js';
import { viewerOf } from '../access/viewer.js';
import { hex, newId, oid } from '../common/object-id.js';
import { MembershipRepository } from '../memberships/membership.repository.js';
import { SpaceRepository, type SpaceFilter } from '../spaces/space.repository.js';
import type { SpaceDoc } from '../spaces/space.schema.js';
import { toCallView } from './call.view.js';
import { deadlineInstant } from './deadline.js';

export interface CallListQuery {
  status?: 'draft' | 'open' | 'closed' | undefined;
  mine?: boolean | undefined;
  offset: number;
  limit: number;
}

const notFound = () => new RpcFailure('NOT_FOUND', 'no such call');

function invalid(path: string, message: string): RpcFailure {
  return new RpcFailure('VALIDATION_FAILED', message, [{ path: [path], code: 'custom', message }]);
}

@Injectable()
export class CallService {
  constructor(
    private readonly spaces: SpaceRepository,
    private readonly memberships: MembershipRepository,
    private readonly clock: Clock,
  ) {}

  /** Facilitators and admins create calls (as drafts); the creator becomes the call's owner. */
  async create(actor: VerifiedActor, input: CallCreate): Promise<CallView> {
    if (actor.role !== 'facilitator' && actor.role !== 'admin')
      throw new RpcFailure('FORBIDDEN', 'only facilitators and admins create calls');
    const now = this.clock.now();
    const deadline = deadlineInstant(input.deadline, input.timeZone);
    if (deadline.getTime() <= now.getTime())
      throw invalid('deadline', 'the deadline must be in the future');
    const id = newId();
    // The owner first: a crash before the call is written leaves a membership of nothing, never
    // a call nobody owns.
    await this.memberships.add(
      {
        spaceId: id,
        kind: 'call',
        memberId: actor.memberId,
        role: 'owner',
        addedBy: null,
        addedAt: now,
      },
      [
        pendingEvent(spacesEvents.membershipAdded, actor.memberId, id, {
          spaceId: id,
          kind: 'call',
          memberId: actor.memberId,
          role: 'owner',
        }),
      ],
    );
    const doc: Omit<SpaceDoc, 'outbox'> = {
      _id: oid(id),
      kind: 'call',
      title: input.title,
      visibility: input.visibility,
      parentId: null,
      createdBy: oid(actor.memberId),
      createdAt: now,
      updatedAt: now,
      rev: 0,
      membersLockedUntil: null,
      description: input.description,
      deadline,
      timeZone: input.timeZone,
      totalBudget: input.totalBudget,
      maxPerProject: input.maxPerProject,
      currency: input.currency,
      eligibleCountries: [...new Set(input.eligibleCountries)],
      criteria: input.criteria,
      sections: input.sections,
      stage: 'draft',
      publishedAt: null,
      closedAt: null,
    };
    await this.spaces.insert(doc, [
      pendingEvent(spacesEvents.callCreated, actor.memberId, id, { callId: id }),
    ]);
    return toCallView({ ...doc, outbox: [] }, now, 'owner', true);
  }

  /** Owners and admins edit a call until it is published. */
  async update(actor: VerifiedActor, id: string, patch: CallPatch): Promise<CallView> {
    const viewer = viewerOf(actor);
    const { call, role } = await this.load(viewer, id);
    this.requireManager(viewer, role);
    if (call.stage !== 'draft')
      throw new RpcFailure('INVALID_STATE', 'a published call can no longer be edited');
    const now = this.clock.now();
    const timeZone = patch.timeZone ?? call.timeZone ?? 'UTC';
    const set: Partial<SpaceDoc> = {};
    if (patch.title !== undefined) set.title = patch.title;
    if (patch.description !== undefined) set.description = patch.description;
    if (patch.visibility !== undefined) set.visibility = patch.visibility;
    if (patch.timeZone !== undefined) set.timeZone = patch.timeZone;
    if (patch.deadline !== undefined) {
      set.deadline = deadlineInstant(patch.deadline, timeZone);
      if (set.deadline.getTime() <= now.getTime())
        throw invalid('deadline', 'the deadline must be in the future');
    }
    if (patch.totalBudget !== undefined) set.totalBudget = patch.totalBudget;
    if (patch.maxPerProject !== undefined) set.maxPerProject = patch.maxPerProject;
    if (patch.currency !== undefined) set.currency = patch.currency;
    if (patch.eligibleCountries !== undefined)
      set.eligibleCountries = [...new Set(patch.eligibleCountries)];
    if (patch.criteria !== undefined) set.criteria = patch.criteria;
    if (patch.sections !== undefined) set.sections = patch.sections;
    const total = set.totalBudget ?? call.totalBudget ?? 0;
    const cap = set.maxPerProject ?? call.maxPerProject ?? 0;
    if (cap > total) throw invalid('maxPerProject', 'maxPerProject cannot exceed totalBudget');
    const fields = Object.keys(set);
    const updated = await this.spaces.update(
      id,
      { rev: call.rev, stage: 'draft' },
      { $set: set },
      [pendingEvent(spacesEvents.callUpdated, actor.memberId, id, { callId: id, fields })],
      now,
    );
    if (!updated) throw new RpcFailure('CONFLICT', 'the call changed meanwhile: reload and retry');
    return toCallView(updated, now, role, true);
  }

  /** Opens a draft call for proposals until its deadline. */
  async publish(actor: VerifiedActor, id: string): Promise<CallView> {
    const viewer = viewerOf(actor);
    const { call, role } = await this.load(viewer, id);
    this.requireManager(viewer, role);
    if (call.stage !== 'draft')
      throw new RpcFailure('INVALID_STATE', 'the call is already published');
    const now = this.clock.now();
    const deadline = call.deadline ?? new Date(0);
    if (deadline.getTime() <= now.getTime())
      throw new RpcFailure(
        'INVALID_STATE',
        'the deadline has passed: move it to the future before publishing',
      );
    const updated = await this.spaces.update(
      id,
      { stage: 'draft' },
      { $set: { stage: 'published', publishedAt: now } },
      [
        pendingEvent(spacesEvents.callPublished, actor.memberId, id, {
          callId: id,
          deadline: deadline.toISOString(),
        }),
      ],
      now,
    );
    if (!updated) throw new RpcFailure('INVALID_STATE', 'the call is already published');
    return toCallView(updated, now, role, true);
  }

  async get(actor: VerifiedActor, id: string): Promise<CallView> {
    const viewer = viewerOf(actor);
    const { call, role } = await this.load(viewer, id);
    return toCallView(call, this.clock.now(), role, canManageMembers('call', viewer, role, null));
  }

  async list(
    actor: VerifiedActor,
    q: CallListQuery,
  ): Promise<{ total: number; items: CallView[] }> {
    const viewer = viewerOf(actor);
    const now = this.clock.now();
    const mineRecords = await this.memberships.spacesOf(viewer.memberId, 'call');
    const mine = mineRecords.map((m) => oid(m.spaceId));
    const roles = new Map(mineRecords.map((m) => [m.spaceId, m.role]));
    const owned = mineRecords.filter((m) => m.role === 'owner').map((m) => oid(m.spaceId));
    const byStatus: SpaceFilter =
      q.status === 'open'
        ? { stage: 'published', deadline: { $gt: now } }
        : q.status === 'closed'
          ? { stage: 'published', deadline: { $lte: now } }
          : q.status === 'draft'
            ? { stage: 'draft' }
            : { kind: 'call' };
    const filter: SpaceFilter = { ...byStatus, kind: 'call' };
    if (q.mine) filter._id = { $in: mine };
    else if (!viewer.isAdmin) {
      if (q.status === 'draft') filter._id = { $in: owned };
      else if (q.status) filter.$or = [{ visibility: 'public' }, { _id: { $in: mine } }];
      else filter.$or = [{ stage: 'published', visibility: 'public' }, { _id: { $in: mine } }];
    }
    const sort: Record<string, 1 | -1> = q.status === 'open' ? { deadline: 1 } : { deadline: -1 };
    const page = await this.spaces.page(filter, sort, q.offset, q.limit);
    return {
      total: page.total,
      items: page.items.map((c) => {
        const role = roles.get(hex(c._id)) ?? null;
        return toCallView(c, now, role, canManageMembers('call', viewer, role, null));
      }),
    };
  }

  private async load(
    viewer: Viewer,
    id: string,
  ): Promise<{ call: SpaceDoc; role: SpaceRole | null }> {
    const call = await this.spaces.findById(id);
    if (!call || call.kind !== 'call') throw notFound();
    const role = (await this.memberships.find(id, viewer.memberId))?.role ?? null;
    if (!canSeeCall({ visibility: call.visibility, stage: call.stage ?? 'draft' }, viewer, role))
      throw new RpcFailure('FORBIDDEN', 'this call is not published, or private to its members');
    return { call, role };
  }

  private requireManager(viewer: Viewer, role: SpaceRole | null): void {
    if (!canManageMembers('call', viewer, role, null))
      throw new RpcFailure('FORBIDDEN', "only the call's owners and admins manage it");
  }
}
