import { m } from '$lib/paraglide/messages.js';

/** What each rule (and engine entry kind) is called in the member's language; unknown ids as they are. */
const labels: Record<string, () => string> = {
  register: m.points_rule_register,
  'profile-complete': m.points_rule_profile_complete,
  'course-complete': m.points_rule_course_complete,
  'invitation-sent': m.points_rule_invitation_sent,
  'avatar-changed': m.points_rule_avatar_changed,
  'cover-changed': m.points_rule_cover_changed,
  'profile-updated': m.points_rule_profile_updated,
  'post-published': m.points_rule_post_published,
  'likes-received-20': m.points_rule_likes_received_20,
  'daily-login': m.points_rule_daily_login,
  'reply-posted': m.points_rule_reply_posted,
  'comment-written': m.points_rule_comment_written,
  'like-given': m.points_rule_like_given,
  charge: m.points_rule_charge,
  adjustment: m.points_rule_adjustment,
  reversal: m.points_rule_reversal,
  'expert-feedback': m.points_rule_expert_feedback,
  'idea-supported': m.points_rule_idea_supported,
  'workshop-attended': m.points_rule_workshop_attended,
  'proposal-submitted': m.points_rule_proposal_submitted,
};

export function ruleLabel(rule: string): string {
  return labels[rule]?.() ?? rule;
}

const kinds: Record<string, () => string> = {
  'per-event': m.points_kind_per_event,
  'once-per-member': m.points_kind_once_per_member,
  'once-per-member-per-object': m.points_kind_once_per_member_per_object,
  daily: m.points_kind_daily,
  threshold: m.points_kind_threshold,
  'while-standing': m.points_kind_while_standing,
};

export function kindLabel(kind: string): string {
  return kinds[kind]?.() ?? kind;
}

/** `+20` / `−5` (a real minus sign), in the member's number format. */
export function signedPoints(points: number, locale: string): string {
  const n = new Intl.NumberFormat(locale).format(Math.abs(points));
  return points >= 0 ? `+${n}` : `−${n}`;
}

/**
 * The page an entry's source is on, where the app has one. Forum posts and comments have no page
 * of their own in the web yet, so they are named, not linked.
 */
export function sourceHref(type: string, id: string): string | null {
  switch (type) {
    case 'invitation':
      return '/invitations';
    case 'member':
    case 'profile':
    case 'login':
      return '/profile';
    case 'proposal':
      return `/proposals/${id}`;
    case 'workshop':
      return `/workshops/${id}`;
    default:
      return null;
  }
}
