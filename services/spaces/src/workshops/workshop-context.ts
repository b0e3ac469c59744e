import { Injectable } from '@nestjs/common';
import { RpcFailure } from '@agora/platform';
import type { SpaceRole } from '@agora/proto';
import type { Viewer } from '../access/rights.js';
import { hex } from '../common/object-id.js';
import { MembershipRepository } from '../memberships/membership.repository.js';
import { roleIn, type Roster, type RosterRole } from '../registrations/roster.js';
import { SpaceRepository } from '../spaces/space.repository.js';
import type { SpaceDoc } from '../spaces/space.schema.js';
import type { WorkshopFields } from './workshop-fields.schema.js';
import { canSeeWorkshop } from './workshop-rights.js';

/** A workshop's space document whose `workshop` fields are known to be there. */
export type WorkshopDoc = SpaceDoc & { workshop: WorkshopFields };

export interface WorkshopContext {
  doc: WorkshopDoc;
  roster: Roster;
  rosterRole: RosterRole | null;
  communityRole: SpaceRole | null;
}

export function isWorkshop(doc: SpaceDoc | null): doc is WorkshopDoc {
  return doc !== null && doc.kind === 'workshop' && doc.workshop !== undefined;
}

export function rosterOf(w: WorkshopFields): Roster {
  return {
    capacity: w.capacity,
    facilitators: w.facilitators.map(hex),
    registered: w.registered.map(hex),
    waitlist: w.waitlist.map(hex),
  };
}

/** Reads a workshop with the asking member's place in it and in its community. */
@Injectable()
export class WorkshopContextLoader {
  constructor(
    private readonly spaces: SpaceRepository,
    private readonly memberships: MembershipRepository,
  ) {}

  async ifAny(memberId: string, id: string): Promise<WorkshopContext | null> {
    const doc = await this.spaces.findById(id);
    if (!isWorkshop(doc)) return null;
    return this.of(memberId, doc);
  }

  async of(memberId: string, doc: WorkshopDoc): Promise<WorkshopContext> {
    const roster = rosterOf(doc.workshop);
    const communityRole =
      (await this.memberships.find(hex(doc.workshop.communityId), memberId))?.role ?? null;
    return { doc, roster, rosterRole: roleIn(roster, memberId), communityRole };
  }

  /** The workshop as the viewer may see it; NOT_FOUND when there is none or they may not. */
  async visible(viewer: Viewer, id: string): Promise<WorkshopContext> {
    const ctx = await this.ifAny(viewer.memberId, id);
    if (
      !ctx ||
      !canSeeWorkshop(
        { stage: ctx.doc.workshop.stage, visibility: ctx.doc.visibility },
        viewer,
        ctx.rosterRole,
        ctx.communityRole,
      )
    )
      throw new RpcFailure('NOT_FOUND', 'no such workshop');
    return ctx;
  }
}
