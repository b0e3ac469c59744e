import { m } from '$lib/paraglide/messages.js';
import { getLocale } from '$lib/paraglide/runtime.js';

/** CLDR plural categories (Arabic uses all six; English one and other). */
export const pluralCategories = ['zero', 'one', 'two', 'few', 'many', 'other'] as const;
export type PluralCategory = (typeof pluralCategories)[number];

type Messages = typeof m;
type MessageKey = keyof Messages;
/** Messages written once per plural category: `<base>_zero` … `<base>_other`. */
export type PluralBase = {
  [K in MessageKey]: K extends `${infer B}_other`
    ? `${B}_zero` extends MessageKey
      ? B
      : never
    : never;
}[MessageKey];
type ParamsOf<B extends PluralBase> = Parameters<Messages[`${B}_other` & MessageKey]>[0];

const rules = new Map<string, Intl.PluralRules>();

/** The plural category of `count` in the tab's language (Intl.PluralRules, CLDR data). */
export function pluralCategory(count: number, locale: string = getLocale()): PluralCategory {
  let rule = rules.get(locale);
  if (!rule) {
    rule = new Intl.PluralRules(locale);
    rules.set(locale, rule);
  }
  return rule.select(count);
}

/**
 * A count said with the noun form and agreement the language wants ("1 character", "12 حرفًا",
 * "حرفان"): picks `<base>_<category>` for `count`. Every plural message has all six keys in every
 * language (a language without a category writes its `other` text there).
 */
export function plural<B extends PluralBase>(base: B, count: number, params: ParamsOf<B>): string {
  const key: MessageKey = `${base}_${pluralCategory(count)}`;
  const message = (m[key] ?? m[`${base}_other` as MessageKey]) as (p: ParamsOf<B>) => string;
  return message(params);
}
