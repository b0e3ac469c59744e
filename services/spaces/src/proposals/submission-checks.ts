import { docShape, type DocOutline, type SubmissionCheck } from '@agora/proto';

/** Characters a reader sees: whitespace, control and format characters (zero-width…) do not count. */
export function visibleChars(text: string): number {
  let n = 0;
  for (const ch of text.replace(/[\s\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu, '')) if (ch) n += 1;
  return n;
}

export interface SubmissionRules {
  sections: readonly { key: string; heading: string }[];
  maxPerProject: number;
  currency: string;
}

/** Budget line total in minor units: quantity × unit cost, computed, never stored (issue 10). */
export function lineTotal(line: { quantity: number; unitCost: number }): number {
  return line.quantity * line.unitCost;
}

/**
 * Everything that keeps the document from being submitted, read from collab's outline (never from
 * the browser): each required section present with enough visible text, every budget line valid
 * (well-typed, a non-negative quantity, an integer non-negative unit cost), the total within the
 * call's cap. Empty when it may be submitted.
 */
export function submissionChecks(outline: DocOutline, rules: SubmissionRules): SubmissionCheck[] {
  const failing: SubmissionCheck[] = [];
  const required = docShape.sectionFilledChars;
  for (const section of rules.sections) {
    const found = outline.sections.filter((s) => s.key === section.key);
    if (found.length === 0) {
      failing.push({
        check: 'section-missing',
        section: section.key,
        message: `the section "${section.heading}" is missing`,
      });
      continue;
    }
    const chars = visibleChars(found.map((s) => s.text).join(' '));
    if (chars < required)
      failing.push({
        check: 'section-too-short',
        section: section.key,
        chars,
        required,
        message: `the section "${section.heading}" needs at least ${required} characters (it has ${chars})`,
      });
  }
  let total = 0;
  outline.budget.forEach((line, index) => {
    const ok =
      line.valid &&
      line.category.trim() !== '' &&
      Number.isFinite(line.quantity) &&
      line.quantity >= 0 &&
      Number.isSafeInteger(line.unitCost) &&
      line.unitCost >= 0;
    if (!ok) {
      failing.push({
        check: 'budget-line-invalid',
        line: index,
        message: `budget line ${index + 1} needs a category, a quantity of 0 or more and a whole unit cost of 0 or more`,
      });
      return;
    }
    total += lineTotal(line);
  });
  // Fractional quantities make fractional cents: the cap compares the exact product.
  if (total > rules.maxPerProject)
    failing.push({
      check: 'budget-over-cap',
      total,
      maxPerProject: rules.maxPerProject,
      currency: rules.currency,
      message: `the budget (${total} minor units of ${rules.currency}) is over the call's maximum of ${rules.maxPerProject}`,
    });
  return failing;
}
