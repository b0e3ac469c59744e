import { Injectable } from '@nestjs/common';
import {
  identityEvents,
  type identityRpc,
  type Mail,
  type PublicMember,
  type RpcResponse,
} from '@agora/proto';
import { RpcFailure, pendingEvent } from '@agora/platform';
import { MailRepository } from '../mail/mail.repository.js';
import { MemberAccess } from '../members/member-access.service.js';
import { MemberRepository } from '../members/member.repository.js';
import { MemberUpdates } from '../members/member-updates.service.js';
import type { Role } from '../members/member.types.js';
import { toPublicMember } from '../members/member.view.js';
import { AdminRosterLock } from './admin-roster-lock.repository.js';

export interface Page {
  offset: number;
  limit: number;
}

/** Admin-only operations; every one checks the caller's current role in the database first. */
@Injectable()
export class AdminService {
  constructor(
    private readonly access: MemberAccess,
    private readonly members: MemberRepository,
    private readonly updates: MemberUpdates,
    private readonly mails: MailRepository,
    private readonly roster: AdminRosterLock,
  ) {}

  async listMembers(
    actorId: string,
    page: Page,
  ): Promise<RpcResponse<typeof identityRpc.memberList>> {
    await this.access.requireAdmin(actorId);
    const { total, items } = await this.members.listActive(page.offset, page.limit);
    return { total, items: items.map((m) => ({ ...toPublicMember(m), email: m.email })) };
  }

  async setRole(actorId: string, memberId: string, role: Role): Promise<PublicMember> {
    await this.access.requireAdmin(actorId);
    // Checked and written under the roster lease: see AdminRosterLock.
    return this.roster.run(() => this.setRoleLocked(actorId, memberId, role));
  }

  private async setRoleLocked(
    actorId: string,
    memberId: string,
    role: Role,
  ): Promise<PublicMember> {
    // Again under the lease: the actor may have just been demoted by another admin.
    await this.access.requireAdmin(actorId);
    const target = await this.members.findById(memberId);
    if (!target || target.status !== 'active')
      throw new RpcFailure('NOT_FOUND', 'member not found');
    if (
      target.role === 'admin' &&
      role !== 'admin' &&
      (await this.members.countActiveAdmins()) <= 1
    ) {
      throw new RpcFailure(
        'CONFLICT',
        'the last admin cannot be demoted; make someone else admin first',
      );
    }
    const saved = await this.updates.apply(memberId, (current) => {
      if (current.role === role) return null;
      return {
        changes: { role },
        events: [
          pendingEvent(identityEvents.roleChanged, actorId, memberId, {
            memberId,
            role,
            previous: current.role,
          }),
        ],
      };
    });
    return toPublicMember(saved);
  }

  async mailbox(actorId: string, page: Page): Promise<{ total: number; items: Mail[] }> {
    await this.access.requireAdmin(actorId);
    const { total, items } = await this.mails.list(page.offset, page.limit);
    return {
      total,
      items: items.map((m) => ({
        id: m.id,
        to: m.to,
        subject: m.subject,
        text: m.text,
        html: m.html,
        transport: m.transport,
        status: m.status === 'sent' ? 'sent' : 'failed',
        error: m.error,
        createdAt: m.createdAt.toISOString(),
      })),
    };
  }
}
