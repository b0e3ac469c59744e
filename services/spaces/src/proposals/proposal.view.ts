import { docName, type DocRight, type ProposalView, type SpaceRole } from '@agora/proto';
import { hex } from '../common/object-id.js';
import type { SpaceDoc } from '../spaces/space.schema.js';

const proposalRoles = ['lead', 'co-author', 'commenter', 'viewer'] as const;
type ProposalRole = (typeof proposalRoles)[number];

function asProposalRole(role: SpaceRole | null): ProposalRole | null {
  return proposalRoles.find((r) => r === role) ?? null;
}

export function toProposalView(
  doc: SpaceDoc,
  myRole: SpaceRole | null,
  myRight: DocRight,
): ProposalView {
  return {
    id: hex(doc._id),
    kind: 'proposal',
    callId: doc.parentId ? hex(doc.parentId) : '',
    title: doc.title,
    docName: doc.docName ?? docName('proposal', hex(doc._id)),
    status: doc.status ?? 'draft',
    visibility: doc.visibility,
    openToMembers: doc.openToMembers ?? false,
    country: doc.country ?? null,
    createdBy: hex(doc.createdBy),
    createdAt: doc.createdAt.toISOString(),
    updatedAt: doc.updatedAt.toISOString(),
    seeded: doc.seeded ?? false,
    submissions: (doc.submissions ?? []).map((s) => ({
      versionId: s.versionId,
      submittedAt: s.submittedAt.toISOString(),
      submittedBy: hex(s.submittedBy),
    })),
    reviewers: (doc.reviewers ?? []).map(hex),
    decision: doc.decision
      ? {
          outcome: doc.decision.outcome,
          note: doc.decision.note,
          decidedBy: hex(doc.decision.decidedBy),
          decidedAt: doc.decision.decidedAt.toISOString(),
        }
      : null,
    myRole: asProposalRole(myRole),
    myRight,
  };
}
