import { getLocale } from '$lib/paraglide/runtime.js';

/** When something was posted, in the reader's language and time zone. */
export function postedAt(iso: string): string {
  return new Intl.DateTimeFormat(getLocale(), { dateStyle: 'medium', timeStyle: 'short' }).format(
    new Date(iso),
  );
}
