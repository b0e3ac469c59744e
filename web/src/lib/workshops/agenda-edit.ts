/**
 * The agenda a facilitator edits before saving it: steps renamed, moved and added in the page,
 * then sent whole in `PATCH /api/workshops/:id` (the list's order is the steps' order; a step's
 * key stays when it is renamed, since it names the step's section in the notes).
 */

/** The agenda with the step at `index` moved by `delta` places (clamped at both ends). */
export function moveStep<T>(steps: readonly T[], index: number, delta: number): T[] {
  const target = Math.min(Math.max(index + delta, 0), steps.length - 1);
  if (index < 0 || index >= steps.length || target === index) return [...steps];
  const out = [...steps];
  const [step] = out.splice(index, 1);
  out.splice(target, 0, step as T);
  return out;
}

/** The agenda with the step at `index` renamed. */
export function renameStep<T extends { title: string }>(
  steps: readonly T[],
  index: number,
  title: string,
): T[] {
  return steps.map((step, i) => (i === index ? { ...step, title } : step));
}

/** The agenda without the step at `index`. */
export function removeStep<T>(steps: readonly T[], index: number): T[] {
  return steps.filter((_, i) => i !== index);
}

/** Longest step title the form accepts (the server has the last word). */
export const maxStepTitle = 200;

/** Indexes of the steps whose title is empty or too long once trimmed. */
export function invalidSteps(steps: readonly { title: string }[]): number[] {
  return steps.flatMap((step, i) => {
    const title = step.title.trim();
    return title.length === 0 || title.length > maxStepTitle ? [i] : [];
  });
}

/** Whether the edited agenda differs from the saved one (titles and order). */
export function agendaChanged(
  saved: readonly { key: string; title: string }[],
  edited: readonly { key: string; title: string }[],
): boolean {
  return (
    saved.length !== edited.length ||
    saved.some((step, i) => step.key !== edited[i]?.key || step.title !== edited[i]?.title.trim())
  );
}

/** Same shape as the notes' section keys (`sectionKeyPattern` in proto). */
const keyPattern = /^[a-z][a-z0-9-]{0,39}$/;

/**
 * A key for a new step, from its title where it can be (ASCII; Arabic or Greek titles get
 * `step-<n>`), never one the agenda already has: the key names the step's section in the notes.
 */
export function newStepKey(existing: readonly { key: string }[], title: string): string {
  const taken = new Set(existing.map((s) => s.key));
  const slug = title
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 32)
    .replace(/-+$/, '');
  const base = keyPattern.test(slug) ? slug : 'step';
  if (base !== 'step' && !taken.has(base)) return base;
  for (let n = existing.length + 1; ; n++) {
    const key = `${base}-${n}`;
    if (!taken.has(key)) return key;
  }
}
