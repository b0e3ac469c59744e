import { countryMissing, displayNameIssues, type ErrorCode } from '@agora/proto';
import { m } from '$lib/paraglide/messages.js';
import { ApiError, type FieldIssue } from '../api/errors.js';
import { plural } from './plural.js';

/** The first whole number in a server's sentence ("at most 20 invitations a day" → 20). */
function numberIn(text: string): number | undefined {
  const match = /\d+/.exec(text);
  return match ? Number(match[0]) : undefined;
}

/**
 * The refusals services name with their own issue code (a detail code: one zod-like issue code
 * per refusal, where VALIDATION_FAILED alone would not say which).
 */
const issueCodeText: Record<string, (issue: FieldIssue) => string> = {
  self_invitation: () => m.issue_self_invitation(),
  // password policy (identity password-policy.ts)
  'too-short': (i) =>
    plural('issue_too_short', numberIn(i.message) ?? 12, { minimum: numberIn(i.message) ?? 12 }),
  'too-long': (i) =>
    plural('issue_too_long', numberIn(i.message) ?? 256, { maximum: numberIn(i.message) ?? 256 }),
  common: () => m.issue_password_common(),
  repetitive: () => m.issue_password_repetitive(),
  sequential: () => m.issue_password_sequential(),
  context: () => m.issue_password_context(),
  // invitation and account links
  invitation_used: () => m.issue_link_invalid(),
  invitation_invalid: () => m.issue_link_invalid(),
  link_invalid: () => m.issue_link_invalid(),
  invitation_other_address: () => m.issue_invitation_other_address(),
  same_email: () => m.issue_same_email(),
  wrong_password: () => m.issue_wrong_password(),
};

/** Refusals whose issue carries no code of its own, by the service's stable sentence. */
const customIssueText: Record<string, () => string> = {
  [countryMissing]: () => m.issue_choose_country(),
  [displayNameIssues.forbidden]: () => m.issue_name_forbidden(),
  [displayNameIssues.tooFewVisible]: () => plural('issue_too_short', 2, { minimum: 2 }),
  'the deadline must be in the future': () => m.issue_deadline_future(),
  'maxPerProject cannot exceed totalBudget': () => m.issue_max_over_total(),
  'an onsite or mixed session needs a place': () => m.issue_session_place(),
  'an online or mixed session needs a link or a stream URL': () => m.issue_session_link(),
  'a workshop ends after it starts': () => m.issue_ends_after_start(),
  'registration closes before the workshop ends': () => m.issue_registration_closes(),
  'a new workshop starts in the future': () => m.issue_starts_future(),
  'a workshop keeps a facilitator': () => m.issue_keeps_facilitator(),
  'an expert needs an area': () => m.issue_expert_area(),
  'no such pitch': () => m.issue_choose(),
  'no such accepted card on this pitch': () => m.issue_choose(),
};

/**
 * A field issue from the server, said in the reader's language. Never the server's English: an
 * issue nobody mapped yet reads as "This value is not valid." in the reader's language.
 */
export function issueText(issue: FieldIssue): string {
  const byCode = issue.code ? issueCodeText[issue.code] : undefined;
  if (byCode) return byCode(issue);
  switch (issue.code) {
    case 'too_small':
      if (issue.origin === 'string' && issue.minimum === 1) return m.issue_required();
      if (issue.origin === 'array' && issue.minimum === 1) return m.issue_choose();
      return issue.origin === 'string' && issue.minimum !== undefined
        ? plural('issue_too_short', issue.minimum, { minimum: issue.minimum })
        : m.issue_invalid();
    case 'too_big':
      if (issue.maximum === undefined) return m.issue_invalid();
      return issue.origin === 'array'
        ? plural('issue_too_many', issue.maximum, { maximum: issue.maximum })
        : plural('issue_too_long', issue.maximum, { maximum: issue.maximum });
    case 'invalid_format':
      return issue.format === 'email' ? m.issue_invalid_email() : m.issue_invalid();
    case 'invalid_type':
      return m.issue_required();
    case 'invalid_value':
      return m.issue_choose();
    case 'custom': {
      const known = customIssueText[issue.message];
      if (known) return known();
      if (issue.message.startsWith('this call accepts proposals from '))
        return m.issue_call_country();
      if (/^an? .*'s roles are /.test(issue.message)) return m.issue_choose();
      return m.issue_invalid();
    }
    default:
      return m.issue_invalid();
  }
}

/** `details.retryAfterSeconds` of a RATE_LIMITED answer, when the service said how long. */
function retryAfter(details: unknown): number | undefined {
  const s = (details as { retryAfterSeconds?: unknown } | null | undefined)?.retryAfterSeconds;
  return typeof s === 'number' && Number.isFinite(s) && s > 0 ? Math.ceil(s) : undefined;
}

/**
 * Refusals one code covers several of, told apart by the service's stable sentence (the prefix
 * it starts with), each with its own text.
 */
const refusals: readonly { code: ErrorCode; starts: string; text: (message: string) => string }[] =
  [
    {
      code: 'CONFLICT',
      starts: 'this person is already a member',
      text: () => m.refusal_already_member(),
    },
    {
      code: 'RATE_LIMITED',
      starts: 'at most ',
      text: (msg) =>
        plural('refusal_invitation_quota', numberIn(msg) ?? 20, { count: numberIn(msg) ?? 20 }),
    },
    {
      code: 'NOT_FOUND',
      starts: 'this invitation link is invalid',
      text: () => m.issue_link_invalid(),
    },
    {
      code: 'CONFLICT',
      starts: 'this email is already registered',
      text: () => m.refusal_email_taken(),
    },
    {
      code: 'CONFLICT',
      starts: 'this address already has an account',
      text: () => m.refusal_email_taken(),
    },
    {
      code: 'UNAUTHENTICATED',
      starts: 'email or password is incorrect',
      text: () => m.refusal_login_failed(),
    },
    { code: 'FORBIDDEN', starts: 'password is incorrect', text: () => m.issue_wrong_password() },
    {
      code: 'CONFLICT',
      starts: 'the account changed at the same time',
      text: () => m.refusal_try_again(),
    },
    {
      code: 'CONFLICT',
      starts: 'the last admin cannot delete',
      text: () => m.refusal_last_admin_delete(),
    },
    {
      code: 'CONFLICT',
      starts: 'the last admin cannot be demoted',
      text: () => m.refusal_last_admin_demote(),
    },
    {
      code: 'FORBIDDEN',
      starts: 'you cannot suspend yourself',
      text: () => m.refusal_suspend_self(),
    },
    {
      code: 'CONFLICT',
      starts: 'an admin cannot be suspended',
      text: () => m.refusal_suspend_admin(),
    },
    {
      code: 'CONFLICT',
      starts: 'this member is already suspended',
      text: () => m.refusal_already_suspended(),
    },
    {
      code: 'CONFLICT',
      starts: 'this member is not suspended',
      text: () => m.refusal_not_suspended(),
    },
    { code: 'NOT_FOUND', starts: 'member not found', text: () => m.refusal_member_not_found() },
  ];

/** The sentence shown for a failed call as a whole, in the reader's language. */
export function errorText(err: unknown): string {
  if (!(err instanceof ApiError)) return m.error_internal();
  const specific = refusals.find((r) => r.code === err.code && err.message.startsWith(r.starts));
  if (specific) return specific.text(err.message);
  if (err.code === 'ACCOUNT_SUSPENDED') {
    // The admin's reason (`details.reason`, proto suspendedDetailsSchema), in their own words.
    const reason = (err.details as { reason?: unknown } | null | undefined)?.reason;
    if (typeof reason === 'string' && reason.trim()) return m.signed_out_suspended({ reason });
  }
  if (err.code === 'RATE_LIMITED') {
    const seconds = retryAfter(err.details);
    if (seconds !== undefined)
      return plural('error_rate_limited_wait', seconds, { count: seconds });
  }
  if (err.code === 'VALIDATION_FAILED') {
    // One issue not tied to a field (or a form without that field): say that one.
    const whole = err.fields[''];
    if (whole) return issueText(whole);
  }
  return codeText(err.code);
}

/** The sentence for each API error code (a new code in proto is a type error here until said). */
const codeTexts: Record<ErrorCode | 'NETWORK', () => string> = {
  VALIDATION_FAILED: () => m.error_validation(),
  UNAUTHENTICATED: () => m.error_unauthenticated(),
  TOKEN_EXPIRED: () => m.error_unauthenticated(),
  FORBIDDEN: () => m.error_forbidden(),
  ACCOUNT_SUSPENDED: () => m.error_account_suspended(),
  NOT_FOUND: () => m.error_not_found(),
  METHOD_NOT_ALLOWED: () => m.space_error_invalid_state(),
  CONFLICT: () => m.error_conflict(),
  INVALID_STATE: () => m.space_error_invalid_state(),
  UNPROCESSABLE: () => m.space_error_unprocessable(),
  RATE_LIMITED: () => m.error_rate_limited(),
  INSUFFICIENT_POINTS: () => m.error_insufficient_points(),
  PAYLOAD_TOO_LARGE: () => m.error_payload_too_large(),
  UNSUPPORTED_MEDIA_TYPE: () => m.error_unsupported_media(),
  UNAVAILABLE: () => m.error_unavailable(),
  INTERNAL: () => m.error_internal(),
  NETWORK: () => m.error_network(),
};

/** The sentence for an API error code (also what the error page says after a failed load). */
export function codeText(code: ErrorCode | 'NETWORK'): string {
  return (codeTexts[code] ?? codeTexts.INTERNAL)();
}

/** Field messages for a form, keyed by field path. */
export function fieldTexts(err: unknown): Record<string, string> {
  if (!(err instanceof ApiError)) return {};
  return Object.fromEntries(Object.entries(err.fields).map(([k, v]) => [k, issueText(v)]));
}
