import { countryMissing, displayNameIssues, type ErrorCode } from '@agora/proto';
import { m } from '$lib/paraglide/messages.js';
import { ApiError, type FieldIssue } from '../api/errors.js';

/** A field issue from the server, said in the reader's language; unknown kinds keep the server's text. */
export function issueText(issue: FieldIssue): string {
  switch (issue.code) {
    case 'too_small':
      if (issue.origin === 'string' && issue.minimum === 1) return m.issue_required();
      return issue.origin === 'string' && issue.minimum !== undefined
        ? m.issue_too_short({ minimum: issue.minimum })
        : m.issue_invalid();
    case 'too_big':
      if (issue.maximum === undefined) return m.issue_invalid();
      return issue.origin === 'array'
        ? m.issue_too_many({ maximum: issue.maximum })
        : m.issue_too_long({ maximum: issue.maximum });
    case 'invalid_format':
      return issue.format === 'email' ? m.issue_invalid_email() : m.issue_invalid();
    case 'invalid_type':
      return m.issue_required();
    case 'invalid_value':
      return m.issue_choose();
    case 'custom':
      if (issue.message === displayNameIssues.forbidden) return m.issue_name_forbidden();
      if (issue.message === displayNameIssues.tooFewVisible)
        return m.issue_too_short({ minimum: 2 });
      if (issue.message === countryMissing) return m.issue_choose_country();
      return issue.message;
    default:
      return issue.message;
  }
}

/** The sentence shown for a failed call as a whole. */
export function errorText(err: unknown): string {
  return err instanceof ApiError ? codeText(err.code) : m.error_internal();
}

/** The sentence for an API error code (also what the error page says after a failed load). */
export function codeText(code: ErrorCode | 'NETWORK'): string {
  switch (code) {
    case 'VALIDATION_FAILED':
      return m.error_validation();
    case 'UNAUTHENTICATED':
    case 'TOKEN_EXPIRED':
      return m.error_unauthenticated();
    case 'FORBIDDEN':
      return m.error_forbidden();
    case 'NOT_FOUND':
      return m.error_not_found();
    case 'CONFLICT':
      return m.error_conflict();
    case 'INVALID_STATE':
      return m.space_error_invalid_state();
    case 'UNPROCESSABLE':
      return m.space_error_unprocessable();
    case 'RATE_LIMITED':
      return m.error_rate_limited();
    case 'PAYLOAD_TOO_LARGE':
      return m.error_payload_too_large();
    case 'UNSUPPORTED_MEDIA_TYPE':
      return m.error_unsupported_media();
    case 'UNAVAILABLE':
      return m.error_unavailable();
    case 'NETWORK':
      return m.error_network();
    default:
      return m.error_internal();
  }
}

/** Field messages for a form, keyed by field path. */
export function fieldTexts(err: unknown): Record<string, string> {
  if (!(err instanceof ApiError)) return {};
  return Object.fromEntries(Object.entries(err.fields).map(([k, v]) => [k, issueText(v)]));
}
