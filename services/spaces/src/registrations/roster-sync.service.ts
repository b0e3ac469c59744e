import { Injectable } from '@nestjs/common';
import { Clock, pendingEvent } from '@agora/platform';
import { spacesEvents, type SpaceRole } from '@agora/proto';
import { MembershipRepository } from '../memberships/membership.repository.js';
import { SpaceRepository } from '../spaces/space.repository.js';
import { isWorkshop, rosterOf } from '../workshops/workshop-context.js';
import { roleIn } from './roster.js';

const ROUNDS = 6;

/**
 * Makes a member's workshop membership match the roster (facilitator, participant, waitlisted, or
 * none), so chat, rights re-checks and rooms follow the usual membership events. It reads the
 * workshop afresh and looks again if the workshop changed meanwhile: whatever order events arrive
 * in, or however often, the membership ends as the roster says.
 */
@Injectable()
export class RosterSyncService {
  constructor(
    private readonly spaces: SpaceRepository,
    private readonly memberships: MembershipRepository,
    private readonly clock: Clock,
  ) {}

  async sync(workshopId: string, memberId: string): Promise<void> {
    for (let round = 0; round < ROUNDS; round += 1) {
      const doc = await this.spaces.findById(workshopId);
      if (!isWorkshop(doc)) return;
      const wanted: SpaceRole | null = roleIn(rosterOf(doc.workshop), memberId);
      await this.apply(workshopId, memberId, wanted);
      const after = await this.spaces.findById(workshopId);
      if (after?.rev === doc.rev) return;
    }
  }

  private async apply(spaceId: string, memberId: string, wanted: SpaceRole | null) {
    const now = this.clock.now();
    const current = await this.memberships.find(spaceId, memberId);
    if (current?.role === wanted) return;
    if (!wanted) {
      if (current)
        await this.memberships.remove(
          spaceId,
          memberId,
          [pendingEvent(spacesEvents.membershipRemoved, null, spaceId, { spaceId, memberId })],
          now,
        );
      return;
    }
    if (current) {
      await this.memberships.changeRole(
        spaceId,
        memberId,
        current.role,
        wanted,
        [
          pendingEvent(spacesEvents.membershipRoleChanged, null, spaceId, {
            spaceId,
            kind: 'workshop',
            memberId,
            role: wanted,
            previous: current.role,
          }),
        ],
        now,
      );
      return;
    }
    await this.memberships.add(
      { spaceId, kind: 'workshop', memberId, role: wanted, addedBy: null, addedAt: now },
      [
        pendingEvent(spacesEvents.membershipAdded, null, spaceId, {
          spaceId,
          kind: 'workshop',
          memberId,
          role: wanted,
        }),
      ],
    );
  }
}
