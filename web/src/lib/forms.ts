import { tick } from 'svelte';

/**
 * After a refused submit, move focus to the first field the server marked, or to the form's
 * alert, so keyboard and screen-reader users land on what needs fixing.
 */
export async function focusFirstProblem(form: HTMLElement | null | undefined): Promise<void> {
  await tick();
  const target =
    form?.querySelector<HTMLElement>('[aria-invalid="true"]') ??
    form?.querySelector<HTMLElement>('[role="alert"]');
  if (target) {
    if (!target.hasAttribute('tabindex') && target.getAttribute('role') === 'alert')
      target.tabIndex = -1;
    target.focus();
  }
}

/**
 * What a form field hands its control (see FormField.svelte), so the control's label, hint and
 * error reach assistive technology: spread it onto the select, textarea or input.
 */
export interface FieldControl {
  id: string;
  'aria-describedby': string | undefined;
  'aria-invalid': 'true' | undefined;
  required: true | undefined;
}
