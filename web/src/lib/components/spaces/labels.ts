import {
  defaultProposalSections,
  type CallStatus,
  type ProposalStatus,
  type SpaceRole,
  spaceRolesByKind,
} from '@agora/proto';
import { m } from '$lib/paraglide/messages.js';

/** Translated names of the spaces enums; a missing case is a type error when they grow. */
export const proposalStatusLabel: Record<ProposalStatus, () => string> = {
  draft: m.proposal_status_draft,
  submitted: m.proposal_status_submitted,
  'in-review': m.proposal_status_in_review,
  funded: m.proposal_status_funded,
  'not-funded': m.proposal_status_not_funded,
  withdrawn: m.proposal_status_withdrawn,
};

export const callStatusLabel: Record<CallStatus, () => string> = {
  draft: m.call_status_draft,
  open: m.call_status_open,
  closed: m.call_status_closed,
};

type ProposalRole = (typeof spaceRolesByKind.proposal)[number];
export const proposalRoles = spaceRolesByKind.proposal;

export const proposalRoleLabel: Record<ProposalRole, () => string> = {
  lead: m.proposal_role_lead,
  'co-author': m.proposal_role_co_author,
  commenter: m.proposal_role_commenter,
  viewer: m.proposal_role_viewer,
};

type DefaultSection = (typeof defaultProposalSections)[number];
const defaultSectionLabel: Record<DefaultSection, () => string> = {
  summary: m.proposal_section_summary,
  problem: m.proposal_section_problem,
  approach: m.proposal_section_approach,
  partners: m.proposal_section_partners,
  activities: m.proposal_section_activities,
  budget: m.proposal_section_budget,
  impact: m.proposal_section_impact,
  sustainability: m.proposal_section_sustainability,
};

/** A section's name: translated for the defaults, the call's own heading otherwise. */
export function sectionLabel(key: string, heading?: string): string {
  const known = (defaultSectionLabel as Record<string, (() => string) | undefined>)[key];
  return known ? known() : (heading ?? key.replace(/-/g, ' '));
}

/** Any role a member may hold in a proposal's space, by name (other kinds' roles read as is). */
export function roleLabel(role: SpaceRole): string {
  const known = (proposalRoleLabel as Record<string, (() => string) | undefined>)[role];
  return known ? known() : role;
}
