import { countryMissing, displayNameIssues } from '@agora/proto';
import { describe, expect, it } from 'vitest';
import { overwriteGetLocale, type Locale } from '$lib/paraglide/runtime.js';

// The language these messages are said in (whatever strategy the runtime was compiled with).
const speak = (locale: Locale) => overwriteGetLocale(() => locale);
import { ApiError } from '../api/errors.js';
import { errorText, fieldTexts, issueText } from './error-text.js';

describe('issueText', () => {
  it("says the server's own refusals in the reader's words, not the server's English", () => {
    expect(issueText({ code: 'custom', message: countryMissing })).toBe('Choose your country.');
    expect(issueText({ code: 'custom', message: displayNameIssues.forbidden })).toBe(
      'Remove control, invisible or text-direction characters',
    );
    expect(issueText({ code: 'custom', message: displayNameIssues.tooFewVisible })).not.toBe(
      displayNameIssues.tooFewVisible,
    );
  });
});

describe('errorText and fieldTexts', () => {
  const selfInvite = new ApiError(400, 'VALIDATION_FAILED', 'you cannot invite yourself', [
    { path: ['body', 'email'], code: 'self_invitation', message: 'you cannot invite yourself' },
  ]);

  it("says every refusal in the reader's language, the English sentence never", () => {
    speak('fr');
    expect(fieldTexts(selfInvite)).toEqual({ email: 'Vous ne pouvez pas vous inviter vous-même.' });
    speak('ar');
    expect(fieldTexts(selfInvite)).toEqual({ email: 'لا يمكنك دعوة نفسك.' });
    // an issue no one mapped yet: a translated generic sentence, not the service's English
    expect(issueText({ code: 'custom', message: 'some new server rule' })).toBe(
      'هذه القيمة غير صالحة.',
    );
    speak('en');
    expect(issueText({ code: 'custom', message: 'some new server rule' })).toBe(
      'This value is not valid.',
    );
  });

  it('tells apart the refusals one code covers, with plurals where a count is said', () => {
    speak('en');
    expect(errorText(new ApiError(409, 'CONFLICT', 'this person is already a member'))).toBe(
      'This person is already a member of Agora.',
    );
    expect(errorText(new ApiError(409, 'CONFLICT', 'something else conflicted'))).toBe(
      'This conflicts with existing data.',
    );
    speak('ar');
    expect(errorText(new ApiError(429, 'RATE_LIMITED', 'at most 20 invitations a day'))).toBe(
      'يمكنك إرسال 20 دعوةً يوميًا على الأكثر. حاول مجددًا غدًا.',
    );
    expect(errorText(new ApiError(429, 'RATE_LIMITED', 'too many', { retryAfterSeconds: 2 }))).toBe(
      'محاولات كثيرة جدًا. حاول مجددًا بعد ثانيتين.',
    );
    speak('en');
    expect(
      errorText(new ApiError(403, 'ACCOUNT_SUSPENDED', 'suspended', { reason: 'spam', at: 'x' })),
    ).toBe('Your account was suspended: spam');
    expect(errorText(new ApiError(403, 'ACCOUNT_SUSPENDED', 'suspended'))).toBe(
      'This account is suspended.',
    );
  });
});
