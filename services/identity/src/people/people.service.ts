import { Injectable } from '@nestjs/common';
import type { PeopleFilter, PeoplePage, Person } from '@agora/proto';
import { RpcFailure } from '@agora/platform';
import { SuspensionRepository } from '../admin/suspension.repository.js';
import { MemberAccess } from '../members/member-access.service.js';
import { toPerson } from '../members/member.view.js';
import { queryKeys } from './directory-keys.js';
import { PeopleRepository, type ListedMember } from './people.repository.js';

/**
 * The member directory and profile pages, for signed-in active members only. Suspended members
 * (admin/suspension.repository.ts: their status stays `active`) are neither listed nor shown.
 */
@Injectable()
export class PeopleService {
  constructor(
    private readonly access: MemberAccess,
    private readonly people: PeopleRepository,
    private readonly suspensions: SuspensionRepository,
  ) {}

  async search(
    actorId: string,
    filter: PeopleFilter,
    page: { offset: number; limit: number },
  ): Promise<PeoplePage> {
    const actor = await this.access.requireActive(actorId);
    // Suspensions are few (an admin's act each): kept out of the query itself, so totals and pages
    // stay right.
    const suspended = await this.suspensions.suspendedIds();
    const { total, items } = await this.people.search(
      queryKeys(filter),
      page.offset,
      page.limit,
      suspended,
    );
    return { total, items: items.map((m) => this.seen(m, actor)) };
  }

  async person(actorId: string, memberId: string): Promise<Person> {
    const actor = await this.access.requireActive(actorId);
    const target = await this.people.findActive(memberId);
    if (!target || (await this.suspensions.find(memberId))?.suspended)
      throw new RpcFailure('NOT_FOUND', 'member not found');
    return this.seen(target, actor);
  }

  /** The member themselves and admins see every field; others what the member shows. */
  private seen(m: ListedMember, actor: { id: string; role: string }): Person {
    return toPerson(m, m.id === actor.id || actor.role === 'admin' ? 'full' : 'member');
  }
}
