import { countryMissing, displayNameIssues } from '@agora/proto';
import { describe, expect, it } from 'vitest';
import { issueText } from './error-text.js';

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
