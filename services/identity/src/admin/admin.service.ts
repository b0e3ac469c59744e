import { Injectable } from '@nestjs/common';
import {
  accountEvents,
  identityEvents,
  type AdminMember,
  type adminMemberFilterSchema,
  type identityRpc,
  type Mail,
  type PublicMember,
  type RpcResponse,
} from '@agora/proto';
import { Clock, RpcFailure, pendingEvent } from '@agora/platform';
import type { z } from 'zod';
import { SessionService } from '../auth/session.service.js';
import { MailRepository } from '../mail/mail.repository.js';
import { MemberAccess } from '../members/member-access.service.js';
import { MemberRepository } from '../members/member.repository.js';
import { MemberUpdates } from '../members/member-updates.service.js';
import type { Role } from '../members/member.types.js';
import { toPublicMember } from '../members/member.view.js';
import { AdminMembersRepository, type AdminMemberRow } from './admin-members.repository.js';
import { AdminRosterLock } from './admin-roster-lock.repository.js';
import { SuspensionRepository, type SuspensionRecord } from './suspension.repository.js';

export interface Page {
  offset: number;
  limit: number;
}

export type AdminMemberFilter = z.output<typeof adminMemberFilterSchema>;

/** Admin-only operations; every one checks the caller's current role in the database first. */
@Injectable()
export class AdminService {
  constructor(
    private readonly access: MemberAccess,
    private readonly members: MemberRepository,
    private readonly updates: MemberUpdates,
    private readonly mails: MailRepository,
    private readonly roster: AdminRosterLock,
    private readonly adminMembers: AdminMembersRepository,
    private readonly suspensions: SuspensionRepository,
    private readonly sessions: SessionService,
    private readonly clock: Clock,
  ) {}

  /** Members found by name or email, by status, or by inviter; oldest first. */
  async listMembers(
    actorId: string,
    page: Page,
    filter: AdminMemberFilter = { status: 'all' },
  ): Promise<RpcResponse<typeof identityRpc.memberList>> {
    await this.access.requireAdmin(actorId);
    const suspendedIds =
      filter.status === 'all' ? undefined : await this.suspensions.suspendedIds();
    const { total, items } = await this.adminMembers.search(
      {
        q: filter.q || undefined,
        invitedBy: filter.invitedBy,
        ids: filter.status === 'suspended' ? suspendedIds : undefined,
        notIds: filter.status === 'active' ? suspendedIds : undefined,
      },
      page.offset,
      page.limit,
    );
    return { total, items: await this.views(items) };
  }

  /**
   * Suspends a member: they cannot sign in or refresh (they are told the reason), every session
   * of theirs ends, and `identity.member.suspended` makes the gateways refuse their tokens and
   * disconnect their sockets, and collab close their editors. Admins are demoted first.
   */
  async suspend(actorId: string, memberId: string, reason: string): Promise<AdminMember> {
    const target = await this.targetOf(actorId, memberId);
    if (target.id === actorId) throw new RpcFailure('FORBIDDEN', 'you cannot suspend yourself');
    if (target.role === 'admin')
      throw new RpcFailure('CONFLICT', 'an admin cannot be suspended; change their role first');
    const now = this.clock.now();
    const changed = await this.suspensions.set(memberId, true, reason, actorId, now, [
      pendingEvent(accountEvents.memberSuspended, actorId, memberId, { memberId }),
    ]);
    if (!changed) throw new RpcFailure('CONFLICT', 'this member is already suspended');
    await this.sessions.endAllOf(memberId, 'suspended', null, actorId);
    return this.viewOf(target);
  }

  /** Lifts a suspension: the member can sign in again (their old sessions stay ended). */
  async reinstate(actorId: string, memberId: string, reason: string): Promise<AdminMember> {
    const target = await this.targetOf(actorId, memberId);
    const changed = await this.suspensions.set(memberId, false, reason, actorId, this.clock.now(), [
      pendingEvent(accountEvents.memberReinstated, actorId, memberId, { memberId }),
    ]);
    if (!changed) throw new RpcFailure('CONFLICT', 'this member is not suspended');
    return this.viewOf(target);
  }

  /** The member an admin acts on (suspend, reinstate): the actor must be an admin, the member exist. */
  private async targetOf(actorId: string, memberId: string): Promise<AdminMemberRow> {
    await this.access.requireAdmin(actorId);
    const target = await this.adminMembers.findRow(memberId);
    if (!target) throw new RpcFailure('NOT_FOUND', 'member not found');
    return target;
  }

  private async viewOf(row: AdminMemberRow): Promise<AdminMember> {
    return (await this.views([row]))[0] as AdminMember;
  }

  private async views(rows: readonly AdminMemberRow[]): Promise<AdminMember[]> {
    const suspended = new Map<string, SuspensionRecord>(
      (await this.suspensions.suspendedAmong(rows.map((r) => r.id))).map((s) => [s.memberId, s]),
    );
    const names = await this.adminMembers.names([
      ...rows.flatMap((r) => (r.invitedBy ? [r.invitedBy] : [])),
      ...[...suspended.values()].map((s) => s.byId),
    ]);
    const person = (id: string | null) => {
      const displayName = id ? names.get(id) : undefined;
      return id && displayName !== undefined ? { id, displayName } : null;
    };
    return rows.map((r) => {
      const s = suspended.get(r.id);
      return {
        id: r.id,
        displayName: r.displayName,
        bio: r.bio,
        organisation: r.organisation,
        sector: r.sector,
        country: r.country,
        languages: r.languages,
        expertise: r.expertise,
        avatarUrl: r.avatarUrl,
        coverUrl: r.coverUrl,
        role: r.role,
        email: r.email,
        createdAt: r.createdAt.toISOString(),
        status: s ? 'suspended' : 'active',
        suspension: s ? { reason: s.reason, at: s.at.toISOString(), by: person(s.byId) } : null,
        invitedBy: person(r.invitedBy),
      };
    });
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
