import {
  getLocale,
  isLocale,
  overwriteGetLocale,
  setLocale,
  type Locale,
} from '$lib/paraglide/runtime.js';

/**
 * One UI language per tab. Paraglide's cookie strategy reads `document.cookie` on every message
 * call, and the cookie is shared by every tab of the origin: after tab A switched to Arabic, each
 * message tab B rendered afterwards (a reloaded member, a live update, a new route) came out in
 * Arabic while the rest of the page, `lang`, `dir` and the switcher stayed English. In the browser
 * the language is therefore this tab's own value, read once at start from the `lang` the server
 * put on `<html>` (from the same cookie), and changed only by `switchTabLocale`. The cookie is
 * still written on a switch, so the next page load (in any tab) starts in the chosen language.
 */
let current: Locale | undefined;

/** Installs the tab's own language (idempotent; the server keeps paraglide's request locale). */
export function installTabLocale(): Locale {
  if (current !== undefined) return current;
  const fromHtml = typeof document === 'undefined' ? '' : document.documentElement.lang;
  current = isLocale(fromHtml) ? fromHtml : getLocale();
  if (typeof document !== 'undefined') overwriteGetLocale(() => current ?? 'en');
  return current;
}

/** This tab's language. */
export function tabLocale(): Locale {
  return current ?? installTabLocale();
}

/** Switches this tab only (and remembers the choice in the cookie for pages loaded later). */
export function switchTabLocale(locale: Locale): void {
  installTabLocale();
  current = locale;
  void setLocale(locale, { reload: false });
}
