/**
 * What a new workshop in one of the programme's countries most likely uses: the country's time
 * zone and its workshops' language (Tunisia's are in French or Arabic: French is offered first).
 * The form pre-fills them when the country changes; the facilitator can choose otherwise.
 */
const defaults: Record<string, { timeZone: string; language: string }> = {
  ES: { timeZone: 'Europe/Madrid', language: 'es' },
  PT: { timeZone: 'Europe/Lisbon', language: 'pt' },
  GR: { timeZone: 'Europe/Athens', language: 'el' },
  JO: { timeZone: 'Asia/Amman', language: 'ar' },
  PS: { timeZone: 'Asia/Hebron', language: 'ar' },
  TN: { timeZone: 'Africa/Tunis', language: 'fr' },
};

export function countryDefaults(country: string): { timeZone: string; language: string } | null {
  return defaults[country] ?? null;
}
