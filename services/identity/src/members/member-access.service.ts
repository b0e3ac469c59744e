import { Injectable } from '@nestjs/common';
import { RpcFailure } from '@agora/platform';
import { MemberRepository } from './member.repository.js';
import type { MemberRecord } from './member.types.js';

/** Access checks against the member's CURRENT state in the database, never the token's claims. */
@Injectable()
export class MemberAccess {
  constructor(private readonly members: MemberRepository) {}

  /** The calling member, if the account exists and is not deleted. */
  async requireActive(actorId: string): Promise<MemberRecord> {
    const actor = await this.members.findById(actorId);
    if (!actor || actor.status !== 'active')
      throw new RpcFailure('UNAUTHENTICATED', 'account not found or deleted');
    return actor;
  }

  /** The calling member, if they are an admin right now (a demoted admin's token is not enough). */
  async requireAdmin(actorId: string): Promise<MemberRecord> {
    const actor = await this.requireActive(actorId);
    if (actor.role !== 'admin') throw new RpcFailure('FORBIDDEN', 'admins only');
    return actor;
  }
}
