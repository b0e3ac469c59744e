import { Injectable } from '@nestjs/common';
import { Clock, pendingEvent, RpcFailure, type VerifiedActor } from '@agora/platform';
import {
  spaceRolesByKind,
  type BoardArea,
  spacesEvents,
  type RpcResponse,
  type SpaceRole,
  type spacesRpc,
} from '@agora/proto';
import { AccessService, reviewersOf } from '../access/access.service.js';
import { canManageMembers, canSeeCall, keeperRole, type Viewer } from '../access/rights.js';
import { viewerOf } from '../access/viewer.js';
import { canSeeCommunity } from '../workshops/workshop-rights.js';
import { areaProblem, canFacilitate, canSeeSession } from '../sessions/session-rights.js';
import { sessionFacts } from '../sessions/session-fields.schema.js';
import { SpaceRepository } from '../spaces/space.repository.js';
import type { SpaceDoc } from '../spaces/space.schema.js';
import {
  MembershipRepository,
  type MembershipRecord,
  type PendingInvitationRecord,
} from './membership.repository.js';

type MemberEntry = RpcResponse<typeof spacesRpc.memberAdd>;
type PendingEntry = RpcResponse<typeof spacesRpc.memberInviteRecord>;

/** How long a membership change holds the space, and how often to try for it. */
const LOCK_MS = 5_000;
const LOCK_TRIES = 40;
const LOCK_RETRY_MS = 25;

interface SpaceAccess {
  space: SpaceDoc;
  kind: 'call' | 'proposal' | 'session' | 'community';
  role: SpaceRole | null;
  canRead: boolean;
  canManage: boolean;
}

function toEntry(m: MembershipRecord): MemberEntry {
  return {
    status: 'active',
    memberId: m.memberId,
    role: m.role,
    ...(m.role === 'expert' && m.area ? { area: m.area } : {}),
    addedBy: m.addedBy,
    addedAt: m.addedAt.toISOString(),
  };
}

function toPending(p: PendingInvitationRecord): PendingEntry {
  return {
    status: 'invited',
    invitationId: p.invitationId,
    role: p.role,
    invitedBy: p.invitedBy,
    invitedAt: p.invitedAt.toISOString(),
  };
}

/** An invitation keeps a role but no area: a session's experts are added by member id with theirs. */
function refuseExpertByEmail(kind: string, role: SpaceRole): void {
  if (kind === 'session' && role === 'expert')
    throw new RpcFailure(
      'VALIDATION_FAILED',
      'invite them as a participant, or add them as an expert by member id with their area',
      [{ path: ['role'], code: 'custom', message: 'an expert needs an area' }],
    );
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

@Injectable()
export class MembershipService {
  constructor(
    private readonly spaces: SpaceRepository,
    private readonly memberships: MembershipRepository,
    private readonly access: AccessService,
    private readonly clock: Clock,
  ) {}

  /** Whoever may read the space sees its members; its managers also see pending invitations. */
  async list(
    actor: VerifiedActor,
    spaceId: string,
  ): Promise<RpcResponse<typeof spacesRpc.memberList>> {
    const a = await this.spaceAccess(viewerOf(actor), spaceId);
    if (!a.canRead) throw new RpcFailure('FORBIDDEN', 'you cannot see the members of this space');
    const [items, pending] = await Promise.all([
      this.memberships.listBySpace(spaceId),
      a.canManage ? this.memberships.pendingOf(spaceId) : Promise.resolve([]),
    ]);
    return { items: items.map(toEntry), pending: pending.map(toPending) };
  }

  async add(
    actor: VerifiedActor,
    spaceId: string,
    memberId: string,
    role: SpaceRole,
    area?: BoardArea,
  ): Promise<MemberEntry> {
    const viewer = viewerOf(actor);
    const a = await this.requireManager(viewer, spaceId, role);
    const wrongArea = areaProblem(a.kind, role, area);
    if (wrongArea)
      throw new RpcFailure('VALIDATION_FAILED', wrongArea, [
        { path: ['area'], code: 'custom', message: wrongArea },
      ]);
    if (a.kind === 'proposal' && reviewersOf(a.space).includes(memberId))
      throw new RpcFailure('CONFLICT', "an assigned reviewer cannot join the proposal's team");
    const now = this.clock.now();
    const record: MembershipRecord = {
      spaceId,
      kind: a.kind,
      memberId,
      role,
      area: area ?? null,
      addedBy: viewer.memberId,
      addedAt: now,
    };
    const outcome = await this.memberships.add(record, [
      pendingEvent(spacesEvents.membershipAdded, viewer.memberId, spaceId, {
        spaceId,
        kind: a.kind,
        memberId,
        role,
      }),
    ]);
    if (outcome === 'duplicate') throw new RpcFailure('CONFLICT', 'already a member of this space');
    return toEntry(record);
  }

  /** The checks of an invitation, before identity sends it (nothing is written). */
  async inviteCheck(actor: VerifiedActor, spaceId: string, role: SpaceRole): Promise<{ ok: true }> {
    const a = await this.requireManager(viewerOf(actor), spaceId, role);
    refuseExpertByEmail(a.kind, role);
    return { ok: true };
  }

  async inviteRecord(
    actor: VerifiedActor,
    spaceId: string,
    role: SpaceRole,
    invitationId: string,
  ): Promise<PendingEntry> {
    const viewer = viewerOf(actor);
    const a = await this.requireManager(viewer, spaceId, role);
    refuseExpertByEmail(a.kind, role);
    const record: PendingInvitationRecord = {
      invitationId,
      spaceId,
      kind: a.kind,
      role,
      invitedBy: viewer.memberId,
      invitedAt: this.clock.now(),
      acceptedBy: null,
    };
    const outcome = await this.memberships.recordInvitation(record, [
      pendingEvent(spacesEvents.membershipInvited, viewer.memberId, spaceId, {
        spaceId,
        kind: a.kind,
        invitationId,
        role,
      }),
    ]);
    if (outcome === 'duplicate')
      throw new RpcFailure('CONFLICT', 'this invitation is already recorded');
    return toPending(record);
  }

  /** Changes a role; the space's last lead (or owner) keeps theirs. */
  async update(
    actor: VerifiedActor,
    spaceId: string,
    memberId: string,
    role: SpaceRole,
  ): Promise<MemberEntry> {
    const viewer = viewerOf(actor);
    const a = await this.requireManager(viewer, spaceId, role);
    if (a.kind === 'session' && role === 'expert')
      throw new RpcFailure(
        'VALIDATION_FAILED',
        'an expert needs an area: add them as an expert with POST /spaces/{id}/members',
        [{ path: ['role'], code: 'custom', message: 'an expert needs an area' }],
      );
    return this.whileHeld(spaceId, async () => {
      const current = await this.memberships.find(spaceId, memberId);
      if (!current) throw new RpcFailure('NOT_FOUND', 'not a member of this space');
      if (current.role === role) return toEntry(current);
      await this.keepKeeper(a.kind, spaceId, current.role, 'demoted');
      const changed = await this.memberships.changeRole(
        spaceId,
        memberId,
        current.role,
        role,
        [
          pendingEvent(spacesEvents.membershipRoleChanged, viewer.memberId, spaceId, {
            spaceId,
            kind: a.kind,
            memberId,
            role,
            previous: current.role,
          }),
        ],
        this.clock.now(),
      );
      if (!changed)
        throw new RpcFailure('CONFLICT', 'the membership changed meanwhile: reload and retry');
      return toEntry(changed);
    });
  }

  /** Managers remove members; any member may leave. The last lead (or owner) stays. */
  async remove(actor: VerifiedActor, spaceId: string, memberId: string): Promise<{ ok: true }> {
    const viewer = viewerOf(actor);
    const a = await this.spaceAccess(viewer, spaceId);
    const leaving = memberId === viewer.memberId && a.role !== null;
    if (!leaving && !a.canManage) {
      if (!a.canRead) throw new RpcFailure('FORBIDDEN', 'you cannot see this space');
      throw new RpcFailure('FORBIDDEN', 'only the managers of this space remove its members');
    }
    return this.whileHeld(spaceId, async () => {
      const current = await this.memberships.find(spaceId, memberId);
      if (!current) throw new RpcFailure('NOT_FOUND', 'not a member of this space');
      await this.keepKeeper(a.kind, spaceId, current.role, 'removed');
      const removed = await this.memberships.remove(
        spaceId,
        memberId,
        [
          pendingEvent(spacesEvents.membershipRemoved, viewer.memberId, spaceId, {
            spaceId,
            memberId,
          }),
        ],
        this.clock.now(),
      );
      if (!removed) throw new RpcFailure('NOT_FOUND', 'not a member of this space');
      return { ok: true as const };
    });
  }

  /**
   * `identity.invitation.accepted`: the role an invitation kept becomes a membership. Redelivered,
   * or for a member who joined meanwhile, it changes nothing; an invitation for no space is ignored.
   */
  async invitationAccepted(
    invitationId: string,
    memberId: string,
  ): Promise<'added' | 'duplicate' | 'none'> {
    const pending = await this.memberships.findInvitation(invitationId);
    if (!pending) return 'none';
    if (!(await this.memberships.claimInvitation(invitationId, memberId))) return 'none';
    return this.memberships.add(
      {
        spaceId: pending.spaceId,
        kind: pending.kind,
        memberId,
        role: pending.role,
        addedBy: pending.invitedBy,
        addedAt: this.clock.now(),
      },
      [
        pendingEvent(spacesEvents.membershipAdded, pending.invitedBy, pending.spaceId, {
          spaceId: pending.spaceId,
          kind: pending.kind,
          memberId,
          role: pending.role,
        }),
      ],
    );
  }

  private async spaceAccess(viewer: Viewer, spaceId: string): Promise<SpaceAccess> {
    const space = await this.spaces.findById(spaceId);
    if (
      !space ||
      (space.kind !== 'call' &&
        space.kind !== 'proposal' &&
        space.kind !== 'session' &&
        space.kind !== 'community')
    )
      throw new RpcFailure('NOT_FOUND', 'no such space');
    // a community's owners manage its members (a private group grows by their invitations)
    if (space.kind === 'community') {
      const role = (await this.memberships.find(spaceId, viewer.memberId))?.role ?? null;
      return {
        space,
        kind: 'community',
        role,
        canRead: canSeeCommunity(space.visibility, viewer, role),
        canManage: viewer.isAdmin || role === 'owner',
      };
    }
    if (space.kind === 'session') {
      const role = (await this.memberships.find(spaceId, viewer.memberId))?.role ?? null;
      const facts = sessionFacts(space);
      return {
        space,
        kind: 'session',
        role,
        canRead: canSeeSession(facts, viewer, role),
        canManage: canFacilitate(viewer, role),
      };
    }
    if (space.kind === 'call') {
      const role = (await this.memberships.find(spaceId, viewer.memberId))?.role ?? null;
      return {
        space,
        kind: 'call',
        role,
        canRead: canSeeCall(
          { visibility: space.visibility, stage: space.stage ?? 'draft' },
          viewer,
          role,
        ),
        canManage: canManageMembers('call', viewer, role, null),
      };
    }
    const ctx = await this.access.proposalContext(viewer.memberId, spaceId);
    return {
      space,
      kind: 'proposal',
      role: ctx.teamRole,
      canRead: ctx.right !== 'none' || viewer.isAdmin,
      canManage: canManageMembers('proposal', viewer, ctx.teamRole, ctx.callRole),
    };
  }

  private async requireManager(
    viewer: Viewer,
    spaceId: string,
    role: SpaceRole,
  ): Promise<SpaceAccess> {
    const a = await this.spaceAccess(viewer, spaceId);
    if (!a.canManage) {
      const who =
        a.kind === 'call'
          ? "the call's owners"
          : a.kind === 'session'
            ? "the session's facilitators"
            : a.kind === 'community'
              ? "the community's owners"
              : "the proposal's leads and the call's owners";
      throw new RpcFailure('FORBIDDEN', `only ${who} manage its members`);
    }
    const roles: readonly string[] = spaceRolesByKind[a.kind];
    if (!roles.includes(role)) {
      const message = `a ${a.kind}'s roles are ${roles.join(', ')}`;
      throw new RpcFailure('VALIDATION_FAILED', message, [
        { path: ['role'], code: 'custom', message },
      ]);
    }
    return a;
  }

  /** Refuses to take the last holder of the space's strongest role away. */
  private async keepKeeper(
    kind: 'call' | 'proposal' | 'session' | 'community',
    spaceId: string,
    role: SpaceRole,
    what: string,
  ) {
    const keeper = keeperRole(kind);
    if (role !== keeper) return;
    if ((await this.memberships.countRole(spaceId, keeper)) <= 1)
      throw new RpcFailure(
        'CONFLICT',
        `the last ${keeper} cannot be ${what}: make someone else ${keeper} first`,
      );
  }

  /** Runs a change that reads then writes the space's memberships, one at a time per space. */
  private async whileHeld<T>(spaceId: string, run: () => Promise<T>): Promise<T> {
    for (let i = 0; i < LOCK_TRIES; i += 1) {
      if (await this.spaces.lockMembers(spaceId, this.clock.now(), LOCK_MS)) {
        try {
          return await run();
        } finally {
          await this.spaces.unlockMembers(spaceId);
        }
      }
      await sleep(LOCK_RETRY_MS);
    }
    throw new RpcFailure('CONFLICT', 'the members of this space are being changed: retry');
  }
}
