import type { CallView } from '@agora/proto';
import { describe, expect, it } from 'vitest';
import { ApiError } from '$lib/api/errors.js';
import { checkText, failingChecks } from './submission-checks.js';

const call = {
  sections: [
    { key: 'summary', heading: 'Summary' },
    { key: 'risks', heading: 'Risks and how we handle them' },
  ],
} as CallView;

describe('submission checks', () => {
  it('reads the failing checks of a 422 and says each one', () => {
    const err = new ApiError(422, 'UNPROCESSABLE', 'incomplete', [
      { check: 'section-missing', section: 'risks', message: 'missing' },
      { check: 'section-too-short', section: 'summary', chars: 7, required: 20, message: 'short' },
      { check: 'budget-line-invalid', line: 0, message: 'bad line' },
      {
        check: 'budget-over-cap',
        total: 2_400_000,
        maxPerProject: 2_000_000,
        currency: 'EUR',
        message: 'over',
      },
    ]);
    const checks = failingChecks(err);
    expect(checks).toHaveLength(4);
    const texts = (checks ?? []).map((c) => checkText(c, call, 'en'));
    expect(texts[0]).toContain('Risks and how we handle them');
    expect(texts[1]).toContain('Summary');
    expect(texts[1]).toContain('7');
    expect(texts[1]).toContain('20');
    expect(texts[2]).toContain('line 1');
    expect(texts[3]).toContain('€24,000.00');
    expect(texts[3]).toContain('€20,000.00');
  });

  it('is null for other errors, and empty for a 422 whose details it cannot read', () => {
    expect(failingChecks(new ApiError(409, 'INVALID_STATE', 'submitted already'))).toBeNull();
    expect(failingChecks(new Error('boom'))).toBeNull();
    expect(failingChecks(new ApiError(422, 'UNPROCESSABLE', 'x', [{ check: 'novel' }]))).toEqual(
      [],
    );
  });
});
