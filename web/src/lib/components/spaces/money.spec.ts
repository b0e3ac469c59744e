import { describe, expect, it } from 'vitest';
import { formatMoney, minorDigits, toMajorInput, toMinorUnits } from './money.js';

describe('money', () => {
  it('knows the minor digits of a currency', () => {
    expect(minorDigits('EUR')).toBe(2);
    expect(minorDigits('JPY')).toBe(0);
    expect(minorDigits('TND')).toBe(3);
  });

  it('reads typed major units as integer minor units', () => {
    expect(toMinorUnits('290000', 'EUR')).toBe(29_000_000);
    expect(toMinorUnits('1250.5', 'EUR')).toBe(125_050);
    expect(toMinorUnits('1 250,50', 'EUR')).toBe(125_050);
    expect(toMinorUnits('1,250.50', 'EUR')).toBe(125_050);
    expect(toMinorUnits('1.250.000', 'EUR')).toBe(125_000_000);
    expect(toMinorUnits('12,345', 'TND')).toBe(12_345);
    expect(toMinorUnits('500', 'JPY')).toBe(500);
  });

  it('refuses what is not an exact non-negative amount', () => {
    expect(toMinorUnits('', 'EUR')).toBeUndefined();
    expect(toMinorUnits('-5', 'EUR')).toBeUndefined();
    expect(toMinorUnits('12.345', 'EUR')).toBe(1_234_500); // a thousands group, not cents
    expect(toMinorUnits('12.3456', 'EUR')).toBeUndefined();
    expect(toMinorUnits('1e5', 'EUR')).toBeUndefined();
    expect(toMinorUnits('ten', 'EUR')).toBeUndefined();
    expect(toMinorUnits('9'.repeat(20), 'EUR')).toBeUndefined();
  });

  it('writes minor units back for an input and for reading', () => {
    expect(toMajorInput(125_050, 'EUR')).toBe('1250.50');
    expect(toMajorInput(7, 'EUR')).toBe('0.07');
    expect(toMajorInput(500, 'JPY')).toBe('500');
    expect(toMinorUnits(toMajorInput(29_000_000, 'EUR'), 'EUR')).toBe(29_000_000);
    expect(formatMoney(125_050, 'EUR', 'en')).toBe('€1,250.50');
    expect(formatMoney(125_050, 'XXX-bad', 'en')).toBe('1250.50 XXX-bad');
  });
});
