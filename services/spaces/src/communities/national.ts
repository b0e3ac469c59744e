/** The language a national community's guide is seeded in (the country's main workshop language). */
const nationalLanguages: Record<string, string> = {
  ES: 'es',
  PT: 'pt',
  GR: 'el',
  JO: 'ar',
  PS: 'ar',
  TN: 'ar',
  FR: 'fr',
};

export function nationalLanguage(country: string): string | null {
  return nationalLanguages[country] ?? null;
}

const regionNames = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'none' });

/** The country's English name, or null when the code names no country Intl knows. */
export function countryName(country: string): string | null {
  try {
    const name = regionNames.of(country);
    return name && name !== country ? name : null;
  } catch {
    return null;
  }
}
