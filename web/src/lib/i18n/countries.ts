/** ISO 3166-1 alpha-2 codes; names come from Intl.DisplayNames in the reader's language. */
const codes =
  'AD AE AF AG AI AL AM AO AR AT AU AW AZ BA BB BD BE BF BG BH BI BJ BM BN BO BR BS BT BW BY BZ CA CD CF CG CH CI CL CM CN CO CR CU CV CY CZ DE DJ DK DM DO DZ EC EE EG ER ES ET FI FJ FM FR GA GB GD GE GH GI GM GN GQ GR GT GW GY HK HN HR HT HU ID IE IL IN IQ IR IS IT JM JO JP KE KG KH KI KM KN KP KR KW KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MG MH MK ML MM MN MR MT MU MV MW MX MY MZ NA NE NG NI NL NO NP NR NZ OM PA PE PG PH PK PL PS PT PW PY QA RO RS RU RW SA SB SC SD SE SG SI SK SL SM SN SO SR SS ST SV SY SZ TD TG TH TJ TL TM TN TO TR TT TV TW TZ UA UG US UY UZ VA VC VE VN VU WS XK YE ZA ZM ZW'.split(
    ' ',
  );

/** Languages offered on the profile (ISO 639-1): the region's and the project's working languages. */
export const spokenLanguageCodes = [
  'ar',
  'bs',
  'ca',
  'de',
  'el',
  'en',
  'es',
  'eu',
  'fr',
  'gl',
  'he',
  'hr',
  'it',
  'mt',
  'nl',
  'pt',
  'ro',
  'sl',
  'sq',
  'sr',
  'tr',
  'uk',
  'ru',
  'zh',
] as const;

export interface Option {
  code: string;
  name: string;
}

function displayNames(locale: string, type: 'region' | 'language'): Intl.DisplayNames | null {
  try {
    return new Intl.DisplayNames([locale], { type });
  } catch {
    return null;
  }
}

function collate(locale: string, options: Option[]): Option[] {
  const collator = new Intl.Collator(locale);
  return options.sort((a, b) => collator.compare(a.name, b.name));
}

export function countryOptions(locale: string): Option[] {
  const names = displayNames(locale, 'region');
  return collate(
    locale,
    codes.map((code) => ({ code, name: names?.of(code) ?? code })),
  );
}

export function languageOptions(locale: string): Option[] {
  const names = displayNames(locale, 'language');
  return collate(
    locale,
    spokenLanguageCodes.map((code) => ({ code, name: names?.of(code) ?? code })),
  );
}
