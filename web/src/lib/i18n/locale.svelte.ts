import { identityRoutes, uiLanguages } from '@agora/proto';
import { isLocale, type Locale } from '$lib/paraglide/runtime.js';
import { directionOf } from './direction.js';
import { switchTabLocale, tabLocale } from './tab-locale.js';
import type { Session } from '../session.svelte.js';

/** Each language's name in itself, for the switcher (not translated on purpose). */
export const languageNames: Record<Locale, string> = {
  en: 'English',
  es: 'Español',
  pt: 'Português',
  el: 'Ελληνικά',
  fr: 'Français',
  ar: 'العربية',
};

export const localeList: readonly Locale[] = uiLanguages.filter((l): l is Locale => isLocale(l));

/**
 * The UI language of this tab as a rune, so the app re-renders its messages when it changes (the
 * root layout keys the page on it). Paraglide's cookie remembers the choice for pages loaded later;
 * a signed-in member's `preferredLanguage` follows it. Another tab's switch changes neither this
 * tab's messages nor its `lang`/`dir` (see tab-locale.ts).
 */
export class LocaleState {
  current = $state<Locale>(tabLocale());
  #session: Session;

  constructor(session: Session) {
    this.#session = session;
  }

  get dir(): 'ltr' | 'rtl' {
    return directionOf(this.current);
  }

  /**
   * Switch without a reload; `remote` also saves it on the member's profile first, so pages
   * re-rendered in the new language already show the saved member. A failed save still switches
   * (the cookie remembers) and is reported to the caller.
   */
  async set(locale: Locale, { remote = true } = {}): Promise<void> {
    const user = this.#session.user;
    let failure: Error | undefined;
    if (remote && user && user.preferredLanguage !== locale) {
      try {
        const updated = await this.#session.api.request(identityRoutes.meUpdate, {
          body: { preferredLanguage: locale },
        });
        this.#session.update(updated);
      } catch (err) {
        failure = err instanceof Error ? err : new Error(String(err));
      }
    }
    if (locale !== this.current) {
      switchTabLocale(locale);
      this.current = locale;
      document.documentElement.lang = locale;
      document.documentElement.dir = directionOf(locale);
    }
    if (failure) throw failure;
  }
}
