import { Injectable } from '@nestjs/common';
import type { DocRight, SpaceRole } from '@agora/proto';
import { MembershipRepository } from '../memberships/membership.repository.js';
import { SpaceRepository } from '../spaces/space.repository.js';
import { isCommunity } from '../communities/community.service.js';
import { WorkshopContextLoader, isWorkshop } from './workshop-context.js';
import { canSeeCommunity, canSeeWorkshop, guideRight, notesRight } from './workshop-rights.js';

const none = { right: 'none' as DocRight, role: null };
const denied = { allowed: false as const, role: null };

/**
 * Rights on `notes:<id>` documents — a workshop's notes or a community's facilitation guide — and
 * on the rooms of those spaces, for `spaces.doc.access` and `spaces.room.access`.
 */
@Injectable()
export class NotesAccessService {
  constructor(
    private readonly spaces: SpaceRepository,
    private readonly memberships: MembershipRepository,
    private readonly contexts: WorkshopContextLoader,
  ) {}

  async docAccess(
    memberId: string,
    spaceId: string,
  ): Promise<{ right: DocRight; role: SpaceRole | null }> {
    const doc = await this.spaces.findById(spaceId);
    if (isWorkshop(doc)) {
      const ctx = await this.contexts.of(memberId, doc);
      const right = notesRight(
        { stage: doc.workshop.stage, visibility: doc.visibility },
        ctx.rosterRole,
        ctx.communityRole,
      );
      return right === 'none' ? none : { right, role: ctx.rosterRole };
    }
    if (isCommunity(doc)) {
      const role = (await this.memberships.find(spaceId, memberId))?.role ?? null;
      const right = guideRight(doc.visibility, role);
      return right === 'none' ? none : { right, role };
    }
    return none;
  }

  /** Who may follow a workshop's or community's room: whoever may see it (as `viewer` if not in it). */
  async roomAccess(
    memberId: string,
    spaceId: string,
  ): Promise<{ allowed: true; role: SpaceRole } | typeof denied> {
    const viewer = { memberId, isAdmin: false };
    const doc = await this.spaces.findById(spaceId);
    if (isWorkshop(doc)) {
      const ctx = await this.contexts.of(memberId, doc);
      const facts = { stage: doc.workshop.stage, visibility: doc.visibility };
      if (!canSeeWorkshop(facts, viewer, ctx.rosterRole, ctx.communityRole)) return denied;
      return { allowed: true, role: ctx.rosterRole ?? 'viewer' };
    }
    if (isCommunity(doc)) {
      const role = (await this.memberships.find(spaceId, memberId))?.role ?? null;
      if (!canSeeCommunity(doc.visibility, viewer, role)) return denied;
      return { allowed: true, role: role ?? 'viewer' };
    }
    return denied;
  }
}
