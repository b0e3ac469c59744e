import type { WorkshopFormat } from '@agora/proto';
import { m } from '$lib/paraglide/messages.js';

/** Translated names of the workshop enums; a missing case is a type error when proto grows. */
export const workshopFormatLabel: Record<WorkshopFormat, () => string> = {
  online: m.workshop_format_online,
  onsite: m.workshop_format_onsite,
  mixed: m.workshop_format_mixed,
};

/** The six countries of the national workshops (DOMAIN.md), first in every country list. */
export const programmeCountries = ['ES', 'PT', 'GR', 'JO', 'PS', 'TN'] as const;

/** The languages the workshops are held in, first in the language lists. */
export const workshopLanguages = ['ar', 'el', 'en', 'es', 'fr', 'pt'] as const;

/** A country or language code's name in the reader's language (the code itself if unknown). */
export function displayName(code: string, type: 'region' | 'language', locale: string): string {
  try {
    return new Intl.DisplayNames([locale], { type }).of(code) ?? code;
  } catch {
    return code;
  }
}
