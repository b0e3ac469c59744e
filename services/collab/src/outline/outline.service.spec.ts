import * as Y from 'yjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { skeletonUpdate } from '../seed/doc-skeleton.js';
import {
  startHistoryHarness,
  type CollabParts,
  type HistoryHarness,
} from '../testing/history-harness.js';
import { OutlineService } from './outline.service.js';

const name = `proposal:${'f'.repeat(24)}`;

describe('OutlineService (real DocStore)', () => {
  let h: HistoryHarness;
  let parts: CollabParts;

  beforeAll(async () => {
    h = await startHistoryHarness('outline');
    parts = h.collab();
  });
  afterAll(async () => h?.close());

  it('reads sections and budget from the durable state, with its size and seq', async () => {
    const service = new OutlineService(parts.docs);
    expect(await service.outline(name)).toEqual({
      docName: name,
      sections: [],
      budget: [],
      size: 2,
      seq: 0,
    });

    await parts.docs.applyServerChange(
      name,
      skeletonUpdate(name, [
        { key: 'summary', heading: 'Summary' },
        { key: 'budget', heading: 'Budget' },
      ]),
      null,
    );
    const { doc } = await parts.docs.loadDurable(name);
    const sv = Y.encodeStateVector(doc);
    const summary = doc.getXmlFragment('default').get(1) as Y.XmlElement;
    summary.insert(0, [new Y.XmlText('A co-op of 40 olive growers.')]);
    const line = new Y.Map<unknown>();
    line.set('category', 'travel');
    line.set('description', 'Sfax–Tunis');
    line.set('quantity', 2);
    line.set('unitCost', 4500);
    doc.getArray('budget').insert(0, [line, new Y.Map<unknown>([['category', 7]])]);
    const seq = await parts.docs.applyServerChange(
      name,
      Y.encodeStateAsUpdate(doc, sv),
      'a'.repeat(24),
    );

    const outline = await service.outline(name);
    expect(outline).toMatchObject({
      docName: name,
      seq,
      sections: [
        { key: 'summary', heading: 'Summary', text: 'A co-op of 40 olive growers.' },
        { key: 'budget', heading: 'Budget', text: '' },
      ],
      budget: [
        { category: 'travel', description: 'Sfax–Tunis', quantity: 2, unitCost: 4500, valid: true },
        { category: '', description: '', quantity: 0, unitCost: 0, valid: false },
      ],
    });
    expect(outline.size).toBe(Y.encodeStateAsUpdate(doc).byteLength);
  });
});
