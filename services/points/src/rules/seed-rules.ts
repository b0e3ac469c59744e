import type { Level, RuleInput } from '@agora/proto';

type Seed = RuleInput & { suggested: boolean };

const base: Pick<
  Seed,
  | 'enabled'
  | 'reversedBy'
  | 'dailyCap'
  | 'every'
  | 'unitFields'
  | 'unlessSameAs'
  | 'onlyWhen'
  | 'suggested'
> = {
  enabled: true,
  reversedBy: null,
  dailyCap: null,
  every: null,
  unitFields: [],
  unlessSameAs: null,
  onlyWhen: null,
  suggested: false,
};

/**
 * The published MED Points table (`MED_POINTS.md`) as data, written to the rules collection once
 * (version 1) and edited there afterwards. `course-complete` has no source yet: no service emits
 * `spaces.course.completed`, so the rule waits, enabled, for the day one does.
 */
export const publishedRules: readonly Seed[] = [
  {
    ...base,
    id: 'register',
    points: 100,
    kind: 'once-per-member',
    event: 'identity.member.registered',
    memberField: 'memberId',
    objectField: 'memberId',
    sourceType: 'member',
  },
  {
    ...base,
    id: 'profile-complete',
    points: 100,
    kind: 'once-per-member',
    event: 'identity.profile.completed',
    memberField: 'memberId',
    objectField: 'memberId',
    sourceType: 'profile',
  },
  {
    ...base,
    id: 'course-complete',
    points: 100,
    kind: 'once-per-member-per-object',
    event: 'spaces.course.completed',
    memberField: 'memberId',
    objectField: 'courseId',
    sourceType: 'course',
  },
  {
    ...base,
    id: 'invitation-sent',
    points: 30,
    kind: 'per-event',
    event: 'identity.invitation.sent',
    memberField: 'inviterId',
    objectField: 'invitationId',
    sourceType: 'invitation',
    dailyCap: 10,
  },
  {
    ...base,
    id: 'avatar-changed',
    points: 20,
    kind: 'once-per-member',
    event: 'identity.avatar.changed',
    memberField: 'memberId',
    objectField: 'memberId',
    sourceType: 'profile',
  },
  {
    ...base,
    id: 'cover-changed',
    points: 20,
    kind: 'once-per-member',
    event: 'identity.cover.changed',
    memberField: 'memberId',
    objectField: 'memberId',
    sourceType: 'profile',
  },
  {
    ...base,
    id: 'profile-updated',
    points: 20,
    kind: 'once-per-member',
    event: 'identity.profile.updated',
    memberField: 'memberId',
    objectField: 'memberId',
    sourceType: 'profile',
  },
  {
    ...base,
    id: 'post-published',
    points: 20,
    kind: 'per-event',
    event: 'chat.post.published',
    memberField: 'authorId',
    objectField: 'postId',
    sourceType: 'post',
    reversedBy: 'chat.post.deleted',
  },
  {
    ...base,
    id: 'likes-received-20',
    points: 10,
    kind: 'threshold',
    event: 'chat.like.given',
    memberField: 'authorId',
    objectField: 'targetId',
    sourceType: 'like',
    every: 20,
    unitFields: ['likerId', 'targetType', 'targetId'],
    unlessSameAs: 'likerId',
  },
  {
    ...base,
    id: 'daily-login',
    points: 5,
    kind: 'daily',
    event: 'identity.daily-login.recorded',
    memberField: 'memberId',
    objectField: 'day',
    sourceType: 'login',
  },
  {
    ...base,
    id: 'reply-posted',
    points: 5,
    kind: 'per-event',
    event: 'chat.reply.posted',
    memberField: 'authorId',
    objectField: 'commentId',
    sourceType: 'comment',
    reversedBy: 'chat.reply.deleted',
  },
  {
    ...base,
    id: 'comment-written',
    points: 2,
    kind: 'per-event',
    event: 'chat.comment.written',
    memberField: 'authorId',
    objectField: 'commentId',
    sourceType: 'comment',
    reversedBy: 'chat.comment.deleted',
  },
  {
    ...base,
    id: 'like-given',
    points: 1,
    kind: 'while-standing',
    event: 'chat.like.given',
    memberField: 'likerId',
    objectField: 'targetId',
    sourceType: 'post',
    reversedBy: 'chat.like.withdrawn',
    unlessSameAs: 'authorId',
    onlyWhen: { field: 'targetType', equals: 'post' },
    dailyCap: 50,
  },
];

/** Co-production actions facilitators may switch on (shipped disabled). */
export const suggestedRules: readonly Seed[] = [
  {
    ...base,
    id: 'expert-feedback',
    enabled: false,
    suggested: true,
    points: 10,
    kind: 'per-event',
    event: 'spaces.card.added',
    memberField: 'authorId',
    objectField: 'cardId',
    sourceType: 'card',
    dailyCap: 20,
  },
  {
    ...base,
    id: 'idea-supported',
    enabled: false,
    suggested: true,
    points: 2,
    kind: 'once-per-member-per-object',
    event: 'spaces.idea.supported',
    memberField: 'memberId',
    objectField: 'ideaId',
    sourceType: 'idea',
    dailyCap: 20,
  },
  {
    ...base,
    id: 'workshop-attended',
    enabled: false,
    suggested: true,
    points: 20,
    kind: 'once-per-member-per-object',
    event: 'spaces.attendance.recorded',
    memberField: 'memberId',
    objectField: 'workshopId',
    sourceType: 'workshop',
  },
  {
    ...base,
    id: 'proposal-submitted',
    enabled: false,
    suggested: true,
    points: 50,
    kind: 'per-event',
    event: 'spaces.proposal.submitted',
    memberField: 'memberId',
    objectField: 'proposalId',
    sourceType: 'proposal',
  },
];

export const defaultLevels: readonly Level[] = [
  { name: 'Newcomer', from: 0 },
  { name: 'Contributor', from: 250 },
  { name: 'Co-producer', from: 750 },
  { name: 'Changemaker', from: 2000 },
  { name: 'Ambassador', from: 5000 },
];
