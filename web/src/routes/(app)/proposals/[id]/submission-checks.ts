import { submissionCheckSchema, type CallView, type SubmissionCheck } from '@agora/proto';
import { z } from 'zod';
import { ApiError } from '$lib/api/errors.js';
import { m } from '$lib/paraglide/messages.js';
import { sectionLabel } from '$lib/components/spaces/labels.js';
import { formatMoney } from '$lib/components/spaces/money.js';

/** The failing checks of a refused submission (422 `details`), or null for any other error. */
export function failingChecks(err: unknown): SubmissionCheck[] | null {
  if (!(err instanceof ApiError) || err.code !== 'UNPROCESSABLE') return null;
  const parsed = z.array(submissionCheckSchema).safeParse(err.details);
  return parsed.success ? parsed.data : [];
}

/** One failing check said in the reader's language, naming the section as the call does. */
export function checkText(check: SubmissionCheck, call: CallView, locale: string): string {
  const heading = (key: string) =>
    sectionLabel(key, call.sections.find((s) => s.key === key)?.heading);
  switch (check.check) {
    case 'section-missing':
      return m.proposal_check_section_missing({ section: heading(check.section) });
    case 'section-too-short':
      return m.proposal_check_section_short({
        section: heading(check.section),
        chars: check.chars,
        required: check.required,
      });
    case 'budget-line-invalid':
      return m.proposal_check_budget_line({ line: check.line + 1 });
    case 'budget-over-cap':
      return m.proposal_check_over_cap({
        total: formatMoney(Math.round(check.total), check.currency, locale),
        max: formatMoney(check.maxPerProject, check.currency, locale),
      });
  }
}
