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

/** ISO 3166-1's user-assigned codes (AA, QM–QZ, XA–XZ, ZZ) name no country; Kosovo's XK does. */
const userAssigned = /^(AA|ZZ|Q[M-Z]|X[A-JL-Z])$/;

/** The country's English name, or null when the code names no country Intl knows. */
/** Names the programmes use where Intl's English differs. */
const programmeNames: Record<string, string> = { PS: 'Palestine' };

export function countryName(country: string): string | null {
  if (userAssigned.test(country)) return null;
  const programme = programmeNames[country];
  if (programme) return programme;
  try {
    const name = regionNames.of(country);
    return name && name !== country && name !== 'Unknown Region' ? name : null;
  } catch {
    return null;
  }
}
