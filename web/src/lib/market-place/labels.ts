import type {
  CardRejection,
  IdeaStatus,
  SessionPhase,
  SessionRole,
  sessionFormats,
} from '@agora/proto';
import { m } from '$lib/paraglide/messages.js';

/** Translated names of the Market Place enums; a missing case is a type error when proto grows. */
export const phaseLabel: Record<SessionPhase, () => string> = {
  lobby: m.session_phase_lobby,
  pitch: m.session_phase_pitch,
  feedback: m.session_phase_feedback,
  vote: m.session_phase_vote,
  'wrap-up': m.session_phase_wrap_up,
  closed: m.session_phase_closed,
};

export const sessionRoleLabel: Record<SessionRole, () => string> = {
  facilitator: m.session_role_facilitator,
  expert: m.session_role_expert,
  pitcher: m.session_role_pitcher,
  participant: m.session_role_participant,
};

export const ideaStatusLabel: Record<IdeaStatus, () => string> = {
  'in-progress': m.idea_status_in_progress,
  supported: m.idea_status_supported,
  funded: m.idea_status_funded,
  'not-funded': m.idea_status_not_funded,
  abandoned: m.idea_status_abandoned,
};

/** Statuses that are a failure: shown with the same weight as the others, only coloured apart. */
export function isFailure(status: IdeaStatus): boolean {
  return status === 'not-funded' || status === 'abandoned';
}

export const rejectionLabel: Record<CardRejection, () => string> = {
  'not-an-expert': m.session_rejection_not_an_expert,
  'foreign-area': m.session_rejection_foreign_area,
  'no-such-pitch': m.session_rejection_no_such_pitch,
};

export const formatLabel: Record<(typeof sessionFormats)[number], () => string> = {
  online: m.session_format_online,
  onsite: m.session_format_onsite,
  mixed: m.session_format_mixed,
};
