import type { DocOutline } from '@agora/proto';
import { describe, expect, it } from 'vitest';
import { submissionChecks, visibleChars } from './submission-checks.js';

const rules = {
  sections: [
    { key: 'summary', heading: 'Summary' },
    { key: 'budget', heading: 'Budget' },
  ],
  maxPerProject: 1_000_00,
  currency: 'EUR',
};

function outline(partial: Partial<DocOutline>): DocOutline {
  return {
    docName: `proposal:${'a'.repeat(24)}`,
    sections: [],
    budget: [],
    size: 0,
    seq: 0,
    ...partial,
  };
}
const filled = 'Twenty visible characters at least, surely.';

describe('submissionChecks', () => {
  it('passes a complete document within the cap', () => {
    expect(
      submissionChecks(
        outline({
          sections: [
            { key: 'summary', heading: 'Summary', text: filled },
            { key: 'budget', heading: 'Budget', text: filled },
          ],
          budget: [
            { category: 'staff', description: '', quantity: 4, unitCost: 25_00, valid: true },
          ],
        }),
        rules,
      ),
    ).toEqual([]);
  });

  it('lists every failing check: missing and short sections, invalid lines, the cap', () => {
    const checks = submissionChecks(
      outline({
        sections: [{ key: 'summary', heading: 'Summary', text: ' \n\u200b a b c \t' }],
        budget: [
          { category: 'staff', description: '', quantity: 10, unitCost: 20_000, valid: true },
          { category: 'travel', description: '', quantity: -1, unitCost: 100, valid: true },
          { category: 'rent', description: '', quantity: 1, unitCost: 10.5, valid: true },
          { category: '', description: '', quantity: 1, unitCost: 1, valid: true },
          { category: 'x', description: '', quantity: 1, unitCost: 1, valid: false },
        ],
      }),
      rules,
    );
    expect(checks.map((c) => c.check)).toEqual([
      'section-too-short',
      'section-missing',
      'budget-line-invalid',
      'budget-line-invalid',
      'budget-line-invalid',
      'budget-line-invalid',
      'budget-over-cap',
    ]);
    expect(checks[0]).toMatchObject({ section: 'summary', chars: 3, required: 20 });
    expect(
      checks
        .filter((c) => c.check === 'budget-line-invalid')
        .map((c) => ('line' in c ? c.line : -1)),
    ).toEqual([1, 2, 3, 4]);
    expect(checks.at(-1)).toMatchObject({
      total: 200_000,
      maxPerProject: 100_000,
      currency: 'EUR',
    });
  });

  it('counts visible characters only (whitespace and zero-width ones do not count; letters of any script do)', () => {
    expect(visibleChars('  a\u200bb\u200dc\ufeff\n')).toBe(3);
    expect(visibleChars('مشروع تجريبي')).toBe(11);
    expect(visibleChars('😀 ok')).toBe(3);
  });
});
