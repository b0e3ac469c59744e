import type { CallView, ProposalView } from '@agora/proto';

/** Which lifecycle actions a member is offered on a proposal (the server decides in the end). */
export interface LifecycleRights {
  submit: boolean;
  withdraw: boolean;
  /** Assign reviewers and decide: the call's owners, while the proposal waits for a decision. */
  manage: boolean;
  /** Score the criteria: an assigned reviewer, while the proposal waits for a decision. */
  review: boolean;
  /** Add, re-role and remove team members. */
  team: boolean;
}

type ProposalFacts = Pick<ProposalView, 'status' | 'myRole' | 'reviewers'>;

export function lifecycleRights(
  proposal: ProposalFacts,
  call: Pick<CallView, 'status' | 'canManage'>,
  memberId: string | undefined,
): LifecycleRights {
  const waiting = proposal.status === 'submitted' || proposal.status === 'in-review';
  const writer = proposal.myRole === 'lead' || proposal.myRole === 'co-author';
  const lead = proposal.myRole === 'lead';
  return {
    submit: writer && proposal.status === 'draft' && call.status === 'open',
    withdraw: lead && (proposal.status === 'draft' || waiting),
    manage: call.canManage && waiting,
    review: memberId !== undefined && proposal.reviewers.includes(memberId) && waiting,
    team: lead && proposal.status !== 'withdrawn',
  };
}
