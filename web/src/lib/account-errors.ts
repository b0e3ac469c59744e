import { m } from '$lib/paraglide/messages.js';
import { ApiError } from './api/errors.js';
import { fieldTexts } from './i18n/error-text.js';

/** A mailed link the server no longer takes (unknown, used or expired). */
export function isLinkInvalid(err: unknown): boolean {
  return err instanceof ApiError && err.fields['token']?.code === 'link_invalid';
}

/** Field messages of the account forms, with the refusals only they meet said in the reader's language. */
export function accountFieldTexts(err: unknown): Record<string, string> {
  const texts = fieldTexts(err);
  if (!(err instanceof ApiError)) return texts;
  for (const [path, issue] of Object.entries(err.fields)) {
    if (issue.code === 'wrong_password') texts[path] = m.security_wrong_password();
    else if (issue.code === 'same_email') texts[path] = m.security_email_same();
    else if (issue.code === 'invitation_other_address') texts[path] = m.register_other_address();
  }
  return texts;
}
