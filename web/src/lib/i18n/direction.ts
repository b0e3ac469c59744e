const rightToLeft = new Set(['ar', 'he', 'fa', 'ur']);

/** Text direction of a UI language. */
export function directionOf(locale: string): 'ltr' | 'rtl' {
  return rightToLeft.has(locale.split('-')[0] ?? locale) ? 'rtl' : 'ltr';
}
