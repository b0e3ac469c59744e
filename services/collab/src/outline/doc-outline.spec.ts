import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { skeletonUpdate } from '../seed/doc-skeleton.js';
import { outlineOf } from './doc-outline.js';

function para(doc: Y.Doc, text: string): Y.XmlElement {
  const p = new Y.XmlElement('paragraph');
  const t = new Y.XmlText();
  t.insert(0, text);
  p.insert(0, [t]);
  return p;
}

describe('outlineOf', () => {
  it('reads sections from level-2 section headings up to the next one', () => {
    const doc = new Y.Doc();
    Y.applyUpdate(
      doc,
      skeletonUpdate('proposal:' + 'a'.repeat(24), [
        { key: 'summary', heading: 'Summary' },
        { key: 'budget', heading: 'Budget' },
      ]),
    );
    const body = doc.getXmlFragment('default');
    // before any section: belongs to none
    body.insert(0, [para(doc, 'Draft, do not share')]);
    // into the summary's empty paragraph, and a sub-heading of level 3 with its own text
    const summaryParagraph = body.get(2) as Y.XmlElement;
    const t = new Y.XmlText();
    t.insert(0, 'Olive oil co-op in Sfax.');
    summaryParagraph.insert(0, [t]);
    const sub = new Y.XmlElement('heading');
    sub.setAttribute('level', 3 as unknown as string);
    sub.setAttribute('section', 'not-a-section');
    sub.insert(0, [new Y.XmlText('Partners')]);
    body.insert(3, [sub, para(doc, 'Three villages.')]);

    expect(outlineOf(doc).sections).toEqual([
      {
        key: 'summary',
        heading: 'Summary',
        text: 'Olive oil co-op in Sfax.\nPartners\nThree villages.',
      },
      { key: 'budget', heading: 'Budget', text: '' },
    ]);
  });

  it('ignores level-2 headings without a valid section key', () => {
    const doc = new Y.Doc();
    const h = new Y.XmlElement('heading');
    h.setAttribute('level', 2 as unknown as string);
    h.setAttribute('section', 'Bad Key');
    h.insert(0, [new Y.XmlText('Looks like a section')]);
    doc.getXmlFragment('default').insert(0, [h, para(doc, 'text')]);
    expect(outlineOf(doc).sections).toEqual([]);
  });

  it('lists budget lines, flagging malformed ones', () => {
    const doc = new Y.Doc();
    const lines = doc.getArray<unknown>('budget');
    const line = (fields: Record<string, unknown>) => {
      const m = new Y.Map<unknown>();
      for (const [k, v] of Object.entries(fields)) m.set(k, v);
      return m;
    };
    lines.insert(0, [
      line({
        category: 'travel',
        description: 'Tunis–Sfax',
        quantity: 2,
        unitCost: 4500,
        id: 'x1',
      }),
      line({ category: 'venue', quantity: '3', unitCost: 12.5 }),
      'not a line',
      { category: 'food', description: 'lunch', quantity: 10, unitCost: 800 },
    ]);
    expect(outlineOf(doc).budget).toEqual([
      { category: 'travel', description: 'Tunis–Sfax', quantity: 2, unitCost: 4500, valid: true },
      { category: 'venue', description: '', quantity: 0, unitCost: 12.5, valid: false },
      { category: '', description: '', quantity: 0, unitCost: 0, valid: false },
      { category: 'food', description: 'lunch', quantity: 10, unitCost: 800, valid: true },
    ]);
  });
});
