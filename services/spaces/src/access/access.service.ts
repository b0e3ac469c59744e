import { Injectable } from '@nestjs/common';
import { RpcFailure } from '@agora/platform';
import {
  parseDocName,
  type DocRight,
  type RpcResponse,
  type SpaceRole,
  type spacesRpc,
} from '@agora/proto';
import { hex } from '../common/object-id.js';
import { MembershipRepository } from '../memberships/membership.repository.js';
import { boardRight } from '../sessions/session-rights.js';
import { sessionFacts } from '../sessions/session-fields.schema.js';
import { SpaceRepository } from '../spaces/space.repository.js';
import { NotesAccessService } from '../workshops/notes-access.service.js';
import type { SpaceDoc } from '../spaces/space.schema.js';
import { canSeeCall, proposalRight, type Viewer } from './rights.js';

export interface ProposalContext {
  proposal: SpaceDoc;
  callId: string;
  teamRole: SpaceRole | null;
  callRole: SpaceRole | null;
  right: DocRight;
}

/** Reviewers are ids on the proposal; the rules compare hex strings. */
export function reviewersOf(p: SpaceDoc): string[] {
  return (p.reviewers ?? []).map(hex);
}

/**
 * Rights on spaces and their documents, from spaces' own data: the space by id, then the member's
 * roles in it and in its parent (a proposal's call) in one read of the `{memberId, spaceId}` index.
 */
@Injectable()
export class AccessService {
  constructor(
    private readonly spaces: SpaceRepository,
    private readonly memberships: MembershipRepository,
    private readonly notes: NotesAccessService,
  ) {}

  /** The proposal with the member's roles and right; NOT_FOUND when there is none. */
  async proposalContext(memberId: string, id: string): Promise<ProposalContext> {
    const found = await this.proposalIfAny(memberId, id);
    if (!found) throw new RpcFailure('NOT_FOUND', 'no such proposal');
    return found;
  }

  /** Like `proposalContext`, refusing (FORBIDDEN) a member who may not read it, unless an admin. */
  async readableProposal(viewer: Viewer, id: string): Promise<ProposalContext> {
    const ctx = await this.proposalContext(viewer.memberId, id);
    if (ctx.right === 'none' && !viewer.isAdmin)
      throw new RpcFailure('FORBIDDEN', 'this proposal is private to its team and its call');
    return ctx;
  }

  private async proposalIfAny(memberId: string, id: string): Promise<ProposalContext | null> {
    const proposal = await this.spaces.findById(id);
    if (!proposal || proposal.kind !== 'proposal' || !proposal.parentId) return null;
    const callId = hex(proposal.parentId);
    const roles = await this.memberships.rolesIn(memberId, [id, callId]);
    const teamRole = roles.get(id) ?? null;
    const callRole = roles.get(callId) ?? null;
    const right = proposalRight(
      {
        status: proposal.status ?? 'draft',
        openToMembers: proposal.openToMembers ?? false,
        reviewers: reviewersOf(proposal),
      },
      memberId,
      teamRole,
      callRole,
    );
    return { proposal, callId, teamRole, callRole, right };
  }

  /** `doc.access`: an unknown or malformed doc, or another kind of doc, answers none. */
  async docAccess(
    memberId: string,
    docName: string,
  ): Promise<RpcResponse<typeof spacesRpc.docAccess>> {
    const ref = parseDocName(docName);
    if (ref.kind === 'board') return this.boardAccess(memberId, ref.id);
    // notes belong to workshop spaces, which this service does not hold yet
    if (ref.kind === 'notes') return this.notes.docAccess(memberId, ref.id);
    if (ref.kind !== 'proposal') return { right: 'none', role: null };
    const ctx = await this.proposalIfAny(memberId, ref.id);
    if (!ctx || ctx.right === 'none') return { right: 'none', role: null };
    return { right: ctx.right, role: ctx.teamRole };
  }

  /** A session's board: its rights follow the member's session role, the lock and the phase. */
  private async boardAccess(
    memberId: string,
    sessionId: string,
  ): Promise<RpcResponse<typeof spacesRpc.docAccess>> {
    const space = await this.spaces.findById(sessionId);
    if (!space || space.kind !== 'session') return { right: 'none', role: null };
    const role = (await this.memberships.find(sessionId, memberId))?.role ?? null;
    return { right: boardRight(sessionFacts(space), role), role };
  }

  /**
   * `room.access`: a proposal's room is open to whoever may read it (their team role, else the
   * role that gives them the right); a call's to its members and, once published and public, to
   * every member as a viewer.
   */
  async roomAccess(
    memberId: string,
    spaceId: string,
  ): Promise<RpcResponse<typeof spacesRpc.roomAccess>> {
    const denied = { allowed: false as const, role: null };
    const space = await this.spaces.findById(spaceId);
    if (!space) return denied;
    if (space.kind === 'workshop' || space.kind === 'community')
      return this.notes.roomAccess(memberId, spaceId);
    if (space.kind === 'proposal') {
      const ctx = await this.proposalIfAny(memberId, spaceId);
      if (!ctx || ctx.right === 'none') return denied;
      const role: SpaceRole =
        ctx.teamRole ??
        (ctx.callRole === 'owner'
          ? 'owner'
          : reviewersOf(ctx.proposal).includes(memberId)
            ? 'reviewer'
            : 'viewer');
      return { allowed: true, role };
    }
    const role = (await this.memberships.find(spaceId, memberId))?.role ?? null;
    if (role) return { allowed: true, role };
    // a public session's room is open to every member, who follows it as a participant would
    if (space.kind === 'session' && space.visibility === 'public')
      return { allowed: true, role: 'participant' };
    if (
      space.kind === 'call' &&
      canSeeCall(
        { visibility: space.visibility, stage: space.stage ?? 'draft' },
        { memberId, isAdmin: false },
        null,
      )
    )
      return { allowed: true, role: 'viewer' };
    return denied;
  }
}
