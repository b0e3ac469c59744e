import * as Y from 'yjs';
import { docShape } from '@agora/proto';

/**
 * The budget table of a proposal (issue 10, "The document's shape"): `doc.getArray('budget')` of
 * `Y.Map`s with `category`, `description`, `quantity` (number) and `unitCost` (integer minor
 * units). A line's total is computed here, never stored.
 */
export interface BudgetLineView {
  category: string;
  description: string;
  quantity: number;
  unitCost: number;
  /** False when another client wrote a field of the wrong type: shown, left out of the total. */
  valid: boolean;
}

export type BudgetField = 'category' | 'description' | 'quantity' | 'unitCost';

export function budgetArray(doc: Y.Doc): Y.Array<Y.Map<unknown>> {
  return doc.getArray<Y.Map<unknown>>(docShape.budget);
}

/** Reads one line as it is, whatever wrote it (any Yjs client may). */
export function readBudgetLine(item: unknown): BudgetLineView {
  if (!(item instanceof Y.Map)) {
    return { category: '', description: '', quantity: 0, unitCost: 0, valid: false };
  }
  const map = item as Y.Map<unknown>;
  const category = map.get('category');
  const description = map.get('description');
  const quantity = map.get('quantity');
  const unitCost = map.get('unitCost');
  const valid =
    typeof category === 'string' &&
    typeof description === 'string' &&
    typeof quantity === 'number' &&
    Number.isFinite(quantity) &&
    quantity >= 0 &&
    typeof unitCost === 'number' &&
    Number.isSafeInteger(unitCost) &&
    unitCost >= 0;
  return {
    category: typeof category === 'string' ? category : '',
    description: typeof description === 'string' ? description : '',
    quantity: typeof quantity === 'number' && Number.isFinite(quantity) ? quantity : 0,
    unitCost: typeof unitCost === 'number' && Number.isFinite(unitCost) ? unitCost : 0,
    valid,
  };
}

/** quantity × unit cost in minor units, rounded to a whole minor unit (a quantity may be 1.5 months). */
export function lineTotal(line: Pick<BudgetLineView, 'quantity' | 'unitCost'>): number {
  return Math.round(line.quantity * line.unitCost);
}

export interface BudgetTotals {
  /** Sum of the valid lines' totals, minor units. */
  total: number;
  /** The call's maximum, or null when the call sets none. */
  cap: number | null;
  over: boolean;
  /** How far over the cap (0 when within). */
  excess: number;
  /** How much is left under the cap (0 when over or no cap). */
  remaining: number;
  invalidLines: number;
}

export function budgetTotals(lines: readonly BudgetLineView[], cap: number | null): BudgetTotals {
  let total = 0;
  let invalidLines = 0;
  for (const line of lines) {
    if (line.valid) total += lineTotal(line);
    else invalidLines += 1;
  }
  const over = cap !== null && total > cap;
  return {
    total,
    cap,
    over,
    excess: over ? total - cap : 0,
    remaining: cap !== null && !over ? cap - total : 0,
    invalidLines,
  };
}

/** Digits after the decimal point of a currency (EUR 2, JOD and TND 3, JPY 0). */
export function currencyDigits(currency: string): number {
  try {
    return (
      new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions()
        .maximumFractionDigits ?? 2
    );
  } catch {
    return 2;
  }
}

/** Minor units → the amount in the member's language and the call's currency. */
export function formatMoney(minor: number, currency: string, locale: string): string {
  const digits = currencyDigits(currency);
  try {
    return new Intl.NumberFormat(locale, {
      style: 'currency',
      currency,
      minimumFractionDigits: digits,
      maximumFractionDigits: digits,
    }).format(minor / 10 ** digits);
  } catch {
    return `${(minor / 10 ** digits).toFixed(digits)} ${currency}`;
  }
}

/** Minor units → what an amount field shows for editing: plain digits, the locale's decimal mark. */
export function moneyInputValue(minor: number, currency: string, locale: string): string {
  const digits = currencyDigits(currency);
  const sign = minor < 0 ? '-' : '';
  const abs = Math.abs(minor);
  const whole = Math.floor(abs / 10 ** digits);
  const fraction = String(abs % 10 ** digits).padStart(digits, '0');
  return digits === 0 ? `${sign}${whole}` : `${sign}${whole}${decimalMark(locale)}${fraction}`;
}

/** A quantity → what its field shows for editing: no grouping, the locale's decimal mark. */
export function quantityInputValue(quantity: number, locale: string): string {
  return String(quantity).replace('.', decimalMark(locale));
}

function decimalMark(locale: string): string {
  try {
    const part = new Intl.NumberFormat(locale).formatToParts(1.5).find((p) => p.type === 'decimal');
    return part?.value === ',' ? ',' : '.';
  } catch {
    return '.';
  }
}

/** Arabic-Indic and Persian digits to ASCII, Arabic decimal and thousands marks to `.` and `,`. */
function normaliseDigits(text: string): string {
  return text
    .replace(/[\u0660-\u0669]/gu, (d) => String(d.charCodeAt(0) - 0x0660))
    .replace(/[\u06f0-\u06f9]/gu, (d) => String(d.charCodeAt(0) - 0x06f0))
    .replace(/\u066b/gu, '.')
    .replace(/\u066c/gu, ',');
}

/**
 * Reads a number as people type it: `1250.50`, `1,250.50`, `1.250,50`, `1 250,50`, `١٢٥٠٫٥٠`.
 * A lone separator followed by exactly three digits is read the locale's way (`1,250` is 1250 in
 * English, 1.25 in Spanish). Returns the digits before and after the decimal mark, or null.
 */
function splitNumber(input: string, locale: string): { whole: string; fraction: string } | null {
  const text = normaliseDigits(input)
    .trim()
    .replace(/[\s\u00a0\u202f']/gu, '')
    .replace(/^[^\d.,]+|[^\d.,]+$/gu, '');
  if (text === '' || !/^[\d.,]+$/u.test(text) || !/\d/u.test(text)) return null;
  const lastDot = text.lastIndexOf('.');
  const lastComma = text.lastIndexOf(',');
  let decimal: '.' | ',' | null = null;
  if (lastDot >= 0 && lastComma >= 0) {
    decimal = lastDot > lastComma ? '.' : ',';
  } else if (lastDot >= 0 || lastComma >= 0) {
    const mark = lastDot >= 0 ? '.' : ',';
    const occurrences = text.split(mark).length - 1;
    const after = text.length - text.lastIndexOf(mark) - 1;
    if (occurrences > 1) decimal = null;
    else if (after !== 3) decimal = mark;
    else decimal = decimalMark(locale) === mark ? mark : null;
  }
  const group = decimal === '.' ? ',' : decimal === ',' ? '.' : null;
  const [wholeRaw = '', fraction = '', ...rest] = decimal ? text.split(decimal) : [text];
  if (rest.length > 0) return null;
  // Grouping marks only in the whole part, each followed by exactly three digits.
  const groups = group ? wholeRaw.split(group) : decimal ? [wholeRaw] : wholeRaw.split(/[.,]/u);
  if (groups.length > 1 && groups.slice(1).some((g) => g.length !== 3)) return null;
  if (groups.length > 1 && (groups[0] === '' || (groups[0]?.length ?? 0) > 3)) return null;
  const whole = groups.join('');
  if (!/^\d*$/u.test(whole) || !/^\d*$/u.test(fraction)) return null;
  if (whole === '' && fraction === '') return null;
  return { whole: whole || '0', fraction };
}

/**
 * What a member typed in an amount field → integer minor units of the currency, or null when it
 * is not an amount (negative, letters, more decimals than the currency has, too large).
 */
export function parseMoneyInput(input: string, currency: string, locale: string): number | null {
  if (/-/u.test(input)) return null;
  const parts = splitNumber(input, locale);
  if (!parts) return null;
  const digits = currencyDigits(currency);
  if (parts.fraction.length > digits) return null;
  const minor = Number(parts.whole + parts.fraction.padEnd(digits, '0'));
  return Number.isSafeInteger(minor) ? minor : null;
}

/** A quantity (units, months, people): zero or more, at most two decimals. Null otherwise. */
export function parseQuantityInput(input: string, locale: string): number | null {
  if (/-/u.test(input)) return null;
  const parts = splitNumber(input, locale);
  if (!parts || parts.fraction.length > 2) return null;
  const value = Number(`${parts.whole}.${parts.fraction || '0'}`);
  return Number.isFinite(value) && value <= 1e9 ? value : null;
}

/** Appends an empty line (quantity 1, no cost yet). */
export function addBudgetLine(doc: Y.Doc, category = ''): void {
  const line = new Y.Map<unknown>();
  doc.transact(() => {
    line.set('category', category);
    line.set('description', '');
    line.set('quantity', 1);
    line.set('unitCost', 0);
    budgetArray(doc).push([line]);
  });
}

export function removeBudgetLine(doc: Y.Doc, index: number): void {
  const budget = budgetArray(doc);
  if (index >= 0 && index < budget.length) budget.delete(index, 1);
}

/** Writes one field, checked: amounts are whole minor units, quantities finite and not negative. */
export function setBudgetField(
  doc: Y.Doc,
  index: number,
  field: BudgetField,
  value: string | number,
): boolean {
  const line = budgetArray(doc).get(index);
  if (!(line instanceof Y.Map)) return false;
  if (field === 'category' || field === 'description') {
    if (typeof value !== 'string') return false;
  } else if (field === 'unitCost') {
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) return false;
  } else if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    return false;
  }
  if (line.get(field) !== value) line.set(field, value);
  return true;
}
