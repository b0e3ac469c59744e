import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  addBudgetLine,
  budgetArray,
  budgetTotals,
  currencyDigits,
  formatMoney,
  lineTotal,
  moneyInputValue,
  parseMoneyInput,
  parseQuantityInput,
  quantityInputValue,
  readBudgetLine,
  removeBudgetLine,
  setBudgetField,
} from './budget.js';

const lines = (doc: Y.Doc) => budgetArray(doc).toArray().map(readBudgetLine);

describe('budget math', () => {
  it('computes line totals and the grand total in minor units', () => {
    expect(lineTotal({ quantity: 3, unitCost: 12_050 })).toBe(36_150);
    expect(lineTotal({ quantity: 1.5, unitCost: 333 })).toBe(500);
    const totals = budgetTotals(
      [
        {
          category: 'Staff',
          description: 'Facilitator',
          quantity: 2,
          unitCost: 100_000,
          valid: true,
        },
        { category: 'Travel', description: 'Tunis', quantity: 4, unitCost: 25_000, valid: true },
      ],
      500_000,
    );
    expect(totals).toEqual({
      total: 300_000,
      cap: 500_000,
      over: false,
      excess: 0,
      remaining: 200_000,
      invalidLines: 0,
    });
  });

  it('flags a total over the cap with the excess; exactly the cap is within', () => {
    const line = { category: '', description: '', quantity: 1, unitCost: 500_001, valid: true };
    expect(budgetTotals([line], 500_000)).toMatchObject({ over: true, excess: 1, remaining: 0 });
    expect(budgetTotals([{ ...line, unitCost: 500_000 }], 500_000)).toMatchObject({
      over: false,
      remaining: 0,
    });
    expect(budgetTotals([line], null)).toMatchObject({ over: false, excess: 0, remaining: 0 });
  });

  it('leaves invalid lines out of the total and counts them', () => {
    const doc = new Y.Doc();
    const bad = new Y.Map<unknown>();
    budgetArray(doc).push([bad]);
    bad.set('category', 'Equipment');
    bad.set('description', 'Laptop');
    bad.set('quantity', '2');
    bad.set('unitCost', 99.5);
    addBudgetLine(doc);
    setBudgetField(doc, 1, 'unitCost', 1000);
    const read = lines(doc);
    expect(read[0]).toMatchObject({ valid: false, category: 'Equipment', quantity: 0 });
    expect(budgetTotals(read, null)).toMatchObject({ total: 1000, invalidLines: 1 });
  });
});

describe('the budget in a Y.Doc', () => {
  it('adds, edits and removes lines; refuses bad values', () => {
    const doc = new Y.Doc();
    addBudgetLine(doc, 'Travel');
    expect(lines(doc)).toEqual([
      { category: 'Travel', description: '', quantity: 1, unitCost: 0, valid: true },
    ]);
    expect(setBudgetField(doc, 0, 'description', 'Train to Sfax')).toBe(true);
    expect(setBudgetField(doc, 0, 'quantity', 2)).toBe(true);
    expect(setBudgetField(doc, 0, 'unitCost', 4_550)).toBe(true);
    expect(setBudgetField(doc, 0, 'unitCost', 45.5)).toBe(false);
    expect(setBudgetField(doc, 0, 'quantity', -1)).toBe(false);
    expect(setBudgetField(doc, 0, 'category', 3)).toBe(false);
    expect(setBudgetField(doc, 5, 'quantity', 1)).toBe(false);
    expect(lines(doc)[0]).toEqual({
      category: 'Travel',
      description: 'Train to Sfax',
      quantity: 2,
      unitCost: 4_550,
      valid: true,
    });
    removeBudgetLine(doc, 0);
    removeBudgetLine(doc, 3);
    expect(lines(doc)).toEqual([]);
  });

  it('two editors adding and editing at once converge with every line kept', () => {
    const a = new Y.Doc();
    const b = new Y.Doc();
    addBudgetLine(a, 'Staff');
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    addBudgetLine(a, 'Travel');
    addBudgetLine(b, 'Equipment');
    setBudgetField(a, 0, 'unitCost', 300_000);
    setBudgetField(b, 0, 'quantity', 2);
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    Y.applyUpdate(a, Y.encodeStateAsUpdate(b));
    expect(lines(a)).toEqual(lines(b));
    expect(lines(a)).toHaveLength(3);
    expect(lines(a)[0]).toMatchObject({ category: 'Staff', quantity: 2, unitCost: 300_000 });
    expect(budgetTotals(lines(a), 500_000)).toMatchObject({
      total: 600_000,
      over: true,
      excess: 100_000,
    });
  });
});

describe('money input', () => {
  it('reads the usual ways of writing an amount', () => {
    expect(parseMoneyInput('1250.50', 'EUR', 'en')).toBe(125_050);
    expect(parseMoneyInput('1,250.50', 'EUR', 'en')).toBe(125_050);
    expect(parseMoneyInput('1.250,50', 'EUR', 'es')).toBe(125_050);
    expect(parseMoneyInput('1 250,5', 'EUR', 'fr')).toBe(125_050);
    expect(parseMoneyInput('1\u202f250,50 €', 'EUR', 'fr')).toBe(125_050);
    expect(parseMoneyInput('€ 12', 'EUR', 'en')).toBe(1_200);
    expect(parseMoneyInput('١٢٥٠٫٥٠', 'EUR', 'ar')).toBe(125_050);
    expect(parseMoneyInput('1.000.000', 'EUR', 'el')).toBe(100_000_000);
    expect(parseMoneyInput(',5', 'EUR', 'pt')).toBe(50);
  });

  it('reads a lone separator before three digits the locale way', () => {
    expect(parseMoneyInput('1,250', 'EUR', 'en')).toBe(125_000);
    expect(parseMoneyInput('1,250', 'TND', 'fr')).toBe(1_250);
    expect(parseMoneyInput('1.250', 'EUR', 'es')).toBe(125_000);
  });

  it('knows currencies with three or no decimals', () => {
    expect(currencyDigits('JOD')).toBe(3);
    expect(parseMoneyInput('12.345', 'JOD', 'en')).toBe(12_345);
    expect(parseMoneyInput('12.3456', 'JOD', 'en')).toBeNull();
    expect(parseMoneyInput('1500', 'JPY', 'en')).toBe(1500);
    expect(parseMoneyInput('15.5', 'JPY', 'en')).toBeNull();
  });

  it('refuses what is not an amount', () => {
    for (const bad of [
      '',
      '  ',
      'abc',
      '-5',
      '12.5.5,3',
      '1,2,3',
      '12,34,567.00',
      '1.2345',
      '1e5',
      '99999999999999999999',
    ]) {
      expect(parseMoneyInput(bad, 'EUR', 'en'), bad).toBeNull();
    }
  });

  it('formats minor units in the member language and the call currency', () => {
    expect(formatMoney(125_050, 'EUR', 'en')).toBe('€1,250.50');
    expect(formatMoney(125_050, 'EUR', 'es').replace(/\s/gu, ' ')).toBe('1250,50 €');
    expect(formatMoney(12_345, 'JOD', 'en').replace(/\s/gu, ' ')).toBe('JOD 12.345');
    expect(moneyInputValue(125_050, 'EUR', 'fr')).toBe('1250,50');
    expect(moneyInputValue(7, 'EUR', 'en')).toBe('0.07');
    expect(moneyInputValue(1500, 'JPY', 'en')).toBe('1500');
    expect(parseMoneyInput(moneyInputValue(98_765, 'EUR', 'el'), 'EUR', 'el')).toBe(98_765);
  });
});

describe('quantity input', () => {
  it('reads whole and decimal quantities, refuses the rest', () => {
    expect(parseQuantityInput('3', 'en')).toBe(3);
    expect(parseQuantityInput('1,5', 'fr')).toBe(1.5);
    expect(parseQuantityInput('0', 'en')).toBe(0);
    expect(parseQuantityInput('-1', 'en')).toBeNull();
    expect(parseQuantityInput('1.255', 'fr')).toBe(1255);
    expect(parseQuantityInput('1.25', 'en')).toBe(1.25);
    // In English a dot is the decimal mark: three decimals are too many for a quantity.
    expect(parseQuantityInput('2.555', 'en')).toBeNull();
    expect(parseQuantityInput('x', 'en')).toBeNull();
    expect(quantityInputValue(1.5, 'fr')).toBe('1,5');
    expect(parseQuantityInput(quantityInputValue(2.25, 'es'), 'es')).toBe(2.25);
  });
});
