/**
 * Amounts travel as integer minor units with an ISO 4217 code (DOMAIN.md); people type and read
 * them in major units. The number of minor digits comes from Intl (EUR 2, JPY 0, TND 3).
 */
export function minorDigits(currency: string): number {
  try {
    return (
      new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions()
        .maximumFractionDigits ?? 2
    );
  } catch {
    return 2;
  }
}

/**
 * "1 250,50" / "1,250.50" / "1250.5" → 125050 (EUR). Undefined for anything that is not a
 * non-negative amount with at most the currency's minor digits: no silent rounding of money.
 */
export function toMinorUnits(typed: string, currency: string): number | undefined {
  const digits = minorDigits(currency);
  const compact = typed.trim().replace(/[\s\u00a0\u202f']/g, '');
  if (!/^\d[\d.,]*$/.test(compact)) return undefined;
  // The last separator followed by 1..digits digits is the decimal mark; the others group thousands.
  const last = Math.max(compact.lastIndexOf('.'), compact.lastIndexOf(','));
  let whole = compact;
  let fraction = '';
  if (last >= 0) {
    const tail = compact.slice(last + 1);
    const groupsOnly = tail.length === 3 && digits !== 3 && /[.,]/.test(compact.slice(0, last));
    if (tail.length <= digits && tail.length > 0 && !groupsOnly) {
      whole = compact.slice(0, last);
      fraction = tail;
    } else if (tail.length !== 3) {
      return undefined;
    }
  }
  const wholeDigits = whole.replace(/[.,]/g, '');
  if (!/^\d+$/.test(wholeDigits) || !/^\d*$/.test(fraction)) return undefined;
  const minor = Number(wholeDigits) * 10 ** digits + Number(fraction.padEnd(digits, '0') || '0');
  return Number.isSafeInteger(minor) ? minor : undefined;
}

/** 125050 EUR → "125.05" style plain text for an input (no grouping, "." as decimal mark). */
export function toMajorInput(minor: number, currency: string): string {
  const digits = minorDigits(currency);
  if (digits === 0) return String(minor);
  const whole = Math.floor(minor / 10 ** digits);
  const fraction = String(minor % 10 ** digits).padStart(digits, '0');
  return `${whole}.${fraction}`;
}

/** 125050 EUR in `fr` → "1 250,50 €". */
export function formatMoney(minor: number, currency: string, locale: string): string {
  const digits = minorDigits(currency);
  try {
    return new Intl.NumberFormat(locale, { style: 'currency', currency }).format(
      minor / 10 ** digits,
    );
  } catch {
    return `${toMajorInput(minor, currency)} ${currency}`;
  }
}
