import { dictionary } from '@zxcvbn-ts/language-common';

/**
 * NIST SP 800-63B memorised secrets: length is what counts (≥ 12 here), no composition rules,
 * and the secret is refused when it is common (breach corpora), repetitive or sequential, or
 * mostly made of context words (the service name, the member's own email or name).
 */
export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 256;

export type PasswordProblem =
  'too-short' | 'too-long' | 'common' | 'repetitive' | 'sequential' | 'context';

const messages: Record<PasswordProblem, string> = {
  'too-short': `use at least ${MIN_PASSWORD_LENGTH} characters`,
  'too-long': `use at most ${MAX_PASSWORD_LENGTH} characters`,
  common: 'this password is too common: it appears in lists of leaked passwords',
  repetitive: 'this password is a repeated pattern',
  sequential: 'this password is a simple sequence',
  context: 'this password is built from your email, your name or the name of the site',
};

export function passwordProblemMessage(problem: PasswordProblem): string {
  return messages[problem];
}

/** ~49k passwords most often found in breaches (zxcvbn-ts common dictionary), lower-cased. */
const commonPasswords: ReadonlySet<string> = new Set(
  dictionary['passwords-common'].map((p) => p.toLowerCase()),
);

/** Digits and symbols people tack on to a common word ("sunshine2024!"). */
const decoration = /[\d\W_]{1,6}$/u;
const leadingDecoration = /^[\d\W_]{1,6}/u;

function isCommon(lower: string): boolean {
  if (commonPasswords.has(lower)) return true;
  const stripped = lower.replace(decoration, '').replace(leadingDecoration, '');
  return stripped.length > 0 && stripped !== lower && commonPasswords.has(stripped);
}

function isRepetitive(chars: readonly string[]): boolean {
  if (new Set(chars).size <= 2) return true;
  // A short unit repeated: "abcabcabcabc", "12121212…"
  return /^(.{1,6}?)\1+$/su.test(chars.join(''));
}

function isSequential(chars: readonly string[]): boolean {
  const codes = chars.map((c) => c.codePointAt(0) ?? 0);
  let steady = 0;
  for (let i = 1; i < codes.length; i += 1) {
    const step = (codes[i] ?? 0) - (codes[i - 1] ?? 0);
    if (Math.abs(step) <= 1) steady += 1;
  }
  // "abcdefghijkl", "987654321098" (one wrap allowed), "aabbccddeeff".
  return steady >= codes.length - 2;
}

export interface PasswordContext {
  email?: string | undefined;
  displayName?: string | undefined;
}

function contextWords(context: PasswordContext): string[] {
  const words = ['agora', 'medtown', 'medrisse'];
  const email = context.email?.toLowerCase();
  // The whole address first: removing only its local part would leave "@example.org" to pass.
  if (email) words.push(email);
  const local = email?.split('@')[0];
  if (local) words.push(local, ...local.split(/[^a-z0-9]+/u));
  if (context.displayName) words.push(...context.displayName.toLowerCase().split(/\s+/u));
  return words.filter((w) => w.length >= 4);
}

function isMostlyContext(lower: string, context: PasswordContext): boolean {
  let rest = lower;
  for (const word of contextWords(context)) rest = rest.split(word).join('');
  if (rest === lower) return false;
  // What is left after removing the context words must still be a decent secret on its own.
  return [...rest].length < 8 || isCommon(rest);
}

/** The first thing wrong with `password`, or null when it is acceptable. */
export function checkPassword(
  password: string,
  context: PasswordContext = {},
): PasswordProblem | null {
  // NIST: count Unicode code points, and compare normalised text.
  const normalised = password.normalize('NFKC');
  const chars = [...normalised];
  if (chars.length < MIN_PASSWORD_LENGTH) return 'too-short';
  if (chars.length > MAX_PASSWORD_LENGTH) return 'too-long';
  const lower = normalised.toLowerCase();
  if (isCommon(lower)) return 'common';
  if (isRepetitive(chars)) return 'repetitive';
  if (isSequential(chars)) return 'sequential';
  if (isMostlyContext(lower, context)) return 'context';
  return null;
}
