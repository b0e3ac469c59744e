import { Injectable } from '@nestjs/common';
import {
  Clock,
  isDuplicateKey,
  pendingEvent,
  RpcFailure,
  type VerifiedActor,
} from '@agora/platform';
import {
  docName,
  spacesEvents,
  workshopEvents,
  type CommunityView,
  type RpcPayload,
  type RpcResponse,
  type SpaceRole,
  type communityRpc,
} from '@agora/proto';
import type { Viewer } from '../access/rights.js';
import { viewerOf } from '../access/viewer.js';
import { hex, newId, oid } from '../common/object-id.js';
import { MembershipRepository } from '../memberships/membership.repository.js';
import { SpaceRepository, type SpaceFilter } from '../spaces/space.repository.js';
import type { SpaceDoc } from '../spaces/space.schema.js';
import { canSeeCommunity, guideRight } from '../workshops/workshop-rights.js';
import type { CommunityFields } from './community-fields.schema.js';
import { countryName, nationalLanguage } from './national.js';

export type CommunityDoc = SpaceDoc & { community: CommunityFields };

export function isCommunity(doc: SpaceDoc | null): doc is CommunityDoc {
  return doc !== null && doc.kind === 'community' && doc.community !== undefined;
}

const notFound = () => new RpcFailure('NOT_FOUND', 'no such community');

function toView(
  doc: CommunityDoc,
  viewer: Viewer,
  role: SpaceRole | null,
  memberCount: number,
): CommunityView {
  const id = hex(doc._id);
  const c = doc.community;
  return {
    id,
    kind: 'community',
    type: c.type,
    title: doc.title,
    description: c.description,
    visibility: doc.visibility,
    country: c.country,
    language: c.language,
    docName: docName('notes', id),
    memberCount,
    createdBy: hex(doc.createdBy),
    createdAt: doc.createdAt.toISOString(),
    updatedAt: doc.updatedAt.toISOString(),
    myRole: (role as CommunityView['myRole']) ?? null,
    myRight: guideRight(doc.visibility, role),
    canManage: viewer.isAdmin || role === 'owner',
  };
}

/**
 * Communities: one national community per country (created on first use by whoever asks first, so
 * it has no owner: platform facilitators who run workshops in it become its moderators, the
 * trainers who write its guide), and topic groups created by members, who own them.
 */
@Injectable()
export class CommunityService {
  constructor(
    private readonly spaces: SpaceRepository,
    private readonly memberships: MembershipRepository,
    private readonly clock: Clock,
  ) {}

  async create(
    actor: VerifiedActor,
    input: RpcPayload<typeof communityRpc.communityCreate>,
  ): Promise<CommunityView> {
    const now = this.clock.now();
    const id = newId();
    // The owner first: a crash before the space is written leaves a membership of nothing.
    await this.memberships.add(
      {
        spaceId: id,
        kind: 'community',
        memberId: actor.memberId,
        role: 'owner',
        addedBy: null,
        addedAt: now,
      },
      [
        pendingEvent(spacesEvents.membershipAdded, actor.memberId, id, {
          spaceId: id,
          kind: 'community',
          memberId: actor.memberId,
          role: 'owner',
        }),
      ],
    );
    const doc = this.newDoc(id, actor.memberId, now, input.title, input.visibility, {
      type: 'topic',
      description: input.description,
      country: input.country,
      language: input.language,
    });
    await this.spaces.insert(doc, this.createdEvents(id, 'topic', actor.memberId));
    return toView({ ...doc, outbox: [] }, viewerOf(actor), 'owner', 1);
  }

  /** The country's national community, created on first use (the unique index settles a race). */
  async national(actor: VerifiedActor, country: string): Promise<CommunityView> {
    const doc = await this.nationalDoc(actor.memberId, country);
    return this.view(viewerOf(actor), doc);
  }

  async nationalDoc(memberId: string, country: string): Promise<CommunityDoc> {
    const found = await this.findNational(country);
    if (found) return found;
    const name = countryName(country);
    if (!name) throw new RpcFailure('NOT_FOUND', `no country "${country}"`);
    const now = this.clock.now();
    const id = newId();
    const doc = this.newDoc(id, memberId, now, name, 'public', {
      type: 'national',
      description: '',
      country,
      language: nationalLanguage(country),
      nationalOf: country,
    });
    try {
      await this.spaces.insert(doc, this.createdEvents(id, 'national', memberId));
      return { ...doc, outbox: [] };
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      const winner = await this.findNational(country);
      if (!winner) throw err;
      return winner;
    }
  }

  async get(actor: VerifiedActor, id: string): Promise<CommunityView> {
    const viewer = viewerOf(actor);
    const { doc } = await this.visible(viewer, id);
    return this.view(viewer, doc);
  }

  async update(
    actor: VerifiedActor,
    id: string,
    patch: RpcPayload<typeof communityRpc.communityUpdate>['patch'],
  ): Promise<CommunityView> {
    const viewer = viewerOf(actor);
    const { role } = await this.visible(viewer, id);
    if (!viewer.isAdmin && role !== 'owner')
      throw new RpcFailure('FORBIDDEN', 'only the owners of this community change it');
    const set: Record<string, unknown> = {};
    if (patch.title !== undefined) set.title = patch.title;
    if (patch.description !== undefined) set['community.description'] = patch.description;
    const updated = await this.spaces.update(id, {}, { $set: set }, [], this.clock.now());
    if (!isCommunity(updated)) throw notFound();
    return this.view(viewer, updated);
  }

  async list(
    actor: VerifiedActor,
    q: RpcPayload<typeof communityRpc.communityList>,
  ): Promise<RpcResponse<typeof communityRpc.communityList>> {
    const viewer = viewerOf(actor);
    const base: SpaceFilter = { kind: 'community' };
    if (q.type) base['community.type'] = q.type;
    if (q.country) base['community.country'] = q.country;
    const mineIds = (await this.memberships.spacesOf(viewer.memberId, 'community')).map(
      (m) => m.spaceId,
    );
    const branches: SpaceFilter[] = q.mine
      ? [{ _id: { $in: mineIds.map(oid) } }]
      : viewer.isAdmin
        ? [{}]
        : [{ visibility: 'public' }, { visibility: 'private', _id: { $in: mineIds.map(oid) } }];
    const page = await this.spaces.pageUnion(base, branches, q.offset, q.limit);
    const items = await Promise.all(
      page.items.filter(isCommunity).map((doc) => this.view(viewer, doc)),
    );
    return { total: page.total, items };
  }

  async members(
    actor: VerifiedActor,
    id: string,
    offset: number,
    limit: number,
  ): Promise<RpcResponse<typeof communityRpc.communityMembers>> {
    await this.visible(viewerOf(actor), id);
    const all = await this.memberships.listBySpace(id);
    return {
      total: all.length,
      items: all.slice(offset, offset + limit).map((m) => ({
        memberId: m.memberId,
        role: m.role as 'owner' | 'moderator' | 'member',
        joinedAt: m.addedAt.toISOString(),
      })),
    };
  }

  /** A public community takes anyone as a member; a private one only by invitation. */
  async join(
    actor: VerifiedActor,
    id: string,
  ): Promise<{ role: 'owner' | 'moderator' | 'member' }> {
    const viewer = viewerOf(actor);
    const { doc, role } = await this.visible(viewer, id);
    if (role) return { role: role as 'owner' | 'moderator' | 'member' };
    if (doc.visibility !== 'public')
      throw new RpcFailure('FORBIDDEN', 'a private community takes new members by invitation');
    const outcome = await this.memberships.add(
      {
        spaceId: id,
        kind: 'community',
        memberId: viewer.memberId,
        role: 'member',
        addedBy: null,
        addedAt: this.clock.now(),
      },
      [
        pendingEvent(spacesEvents.membershipAdded, viewer.memberId, id, {
          spaceId: id,
          kind: 'community',
          memberId: viewer.memberId,
          role: 'member',
        }),
      ],
    );
    if (outcome === 'duplicate') {
      const now = (await this.memberships.find(id, viewer.memberId))?.role ?? 'member';
      return { role: now as 'owner' | 'moderator' | 'member' };
    }
    return { role: 'member' };
  }

  async leave(actor: VerifiedActor, id: string): Promise<{ ok: true }> {
    const viewer = viewerOf(actor);
    const { role } = await this.visible(viewer, id);
    if (!role) throw new RpcFailure('NOT_FOUND', 'not a member of this community');
    if (role === 'owner' && (await this.memberships.countRole(id, 'owner')) <= 1)
      throw new RpcFailure(
        'CONFLICT',
        'the last owner cannot leave: make someone else owner first',
      );
    await this.memberships.remove(
      id,
      viewer.memberId,
      [
        pendingEvent(spacesEvents.membershipRemoved, viewer.memberId, id, {
          spaceId: id,
          memberId: viewer.memberId,
        }),
      ],
      this.clock.now(),
    );
    return { ok: true };
  }

  /**
   * Makes a facilitator who runs a workshop in the community one of its trainers (moderator), so
   * they write its facilitation guide; an owner or moderator stays as they are.
   */
  async ensureTrainer(communityId: string, memberId: string): Promise<void> {
    const now = this.clock.now();
    const current = await this.memberships.find(communityId, memberId);
    if (current?.role === 'owner' || current?.role === 'moderator') return;
    if (current) {
      await this.memberships.changeRole(
        communityId,
        memberId,
        current.role,
        'moderator',
        [
          pendingEvent(spacesEvents.membershipRoleChanged, memberId, communityId, {
            spaceId: communityId,
            kind: 'community',
            memberId,
            role: 'moderator',
            previous: current.role,
          }),
        ],
        now,
      );
      return;
    }
    await this.memberships.add(
      {
        spaceId: communityId,
        kind: 'community',
        memberId,
        role: 'moderator',
        addedBy: null,
        addedAt: now,
      },
      [
        pendingEvent(spacesEvents.membershipAdded, memberId, communityId, {
          spaceId: communityId,
          kind: 'community',
          memberId,
          role: 'moderator',
        }),
      ],
    );
  }

  /** The community with the viewer's role; NOT_FOUND when there is none or they may not see it. */
  async visible(
    viewer: Viewer,
    id: string,
  ): Promise<{ doc: CommunityDoc; role: SpaceRole | null }> {
    const doc = await this.spaces.findById(id);
    if (!isCommunity(doc)) throw notFound();
    const role = (await this.memberships.find(id, viewer.memberId))?.role ?? null;
    if (!canSeeCommunity(doc.visibility, viewer, role)) throw notFound();
    return { doc, role };
  }

  private async view(viewer: Viewer, doc: CommunityDoc): Promise<CommunityView> {
    const id = hex(doc._id);
    const [role, members] = await Promise.all([
      this.memberships.find(id, viewer.memberId),
      this.memberships.listBySpace(id),
    ]);
    return toView(doc, viewer, role?.role ?? null, members.length);
  }

  private async findNational(country: string): Promise<CommunityDoc | null> {
    const page = await this.spaces.page(
      { 'community.nationalOf': country },
      { createdAt: 1 },
      0,
      1,
    );
    const doc = page.items[0] ?? null;
    return isCommunity(doc) ? doc : null;
  }

  private newDoc(
    id: string,
    createdBy: string,
    now: Date,
    title: string,
    visibility: 'public' | 'private',
    community: CommunityFields,
  ): Omit<CommunityDoc, 'outbox'> {
    return {
      _id: oid(id),
      kind: 'community',
      title,
      visibility,
      parentId: null,
      createdBy: oid(createdBy),
      createdAt: now,
      updatedAt: now,
      rev: 0,
      membersLockedUntil: null,
      community,
    };
  }

  private createdEvents(id: string, type: 'national' | 'topic', actorId: string) {
    return [
      pendingEvent(workshopEvents.communityCreated, actorId, id, { communityId: id, type }),
      pendingEvent(workshopEvents.notesOpened, actorId, id, {
        spaceId: id,
        kind: 'community' as const,
        docName: docName('notes', id),
      }),
    ];
  }
}
