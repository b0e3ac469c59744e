import { Injectable } from '@nestjs/common';
import { identityEvents, profileFields } from '@agora/proto';
import { RpcFailure, Clock, pendingEvent, type PendingEvent } from '@agora/platform';
import { directoryEntryOf } from '../people/directory-keys.js';
import { completenessOf } from './completeness.js';
import { MemberRepository, type MemberChanges } from './member.repository.js';
import type { MemberRecord } from './member.types.js';

/** What a change to one member amounts to: new field values and the events they cause. */
export interface MemberPlan {
  changes: MemberChanges;
  events: PendingEvent[];
}

const MAX_ATTEMPTS = 5;

/**
 * Read–decide–write for one member with optimistic concurrency: the plan is computed from the
 * state it applies to, so events (e.g. `profile.completed`, once ever) are never doubled or lost
 * when two requests race; the loser re-reads and decides again.
 */
@Injectable()
export class MemberUpdates {
  constructor(
    private readonly members: MemberRepository,
    private readonly clock: Clock,
  ) {}

  /** Applies `plan` (null from the plan means "nothing to change") and returns the resulting member. */
  async apply(
    memberId: string,
    plan: (current: MemberRecord) => MemberPlan | null,
  ): Promise<MemberRecord> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
      const current = await this.members.findById(memberId);
      if (!current || current.status !== 'active')
        throw new RpcFailure('NOT_FOUND', 'member not found');
      const decided = plan(current);
      if (!decided) return current;
      const now = this.clock.now();
      const changes: MemberChanges = { ...decided.changes, updatedAt: now };
      const events = [...decided.events];
      const next = { ...current, ...changes };
      if (
        next.status === 'active' &&
        current.profileCompletedAt === null &&
        completenessOf(next).complete
      ) {
        changes.profileCompletedAt = now;
        events.push(
          pendingEvent(identityEvents.profileCompleted, memberId, memberId, {
            memberId,
            fields: [...profileFields],
          }),
        );
      }
      // The directory's keys follow every write (name, shown fields, status), in the same write.
      Object.assign(changes, directoryEntryOf({ ...current, ...changes }));
      const saved = await this.members.update(memberId, current.rev, changes, events, now);
      if (saved) return saved;
    }
    throw new RpcFailure('CONFLICT', 'the account changed at the same time; try again');
  }
}
