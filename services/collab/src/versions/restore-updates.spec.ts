import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { bodyMarkdown } from '../text/body-markdown.js';
import { restoreUpdates, RestoreTooLarge } from './restore-updates.js';

function write(doc: Y.Doc, paragraphs: string[], budget: Record<string, unknown>[] = []): void {
  doc.transact(() => {
    const body = doc.getXmlFragment('default');
    body.delete(0, body.length);
    body.insert(
      0,
      paragraphs.map((s) => {
        const p = new Y.XmlElement('paragraph');
        const t = new Y.XmlText();
        if (s.startsWith('!')) t.insert(0, s.slice(1), { bold: {} });
        else t.insert(0, s);
        p.insert(0, [t]);
        return p;
      }),
    );
    const lines = doc.getArray('budget');
    lines.delete(0, lines.length);
    lines.insert(
      0,
      budget.map((fields) => {
        const m = new Y.Map();
        for (const [k, v] of Object.entries(fields)) m.set(k, v);
        return m;
      }),
    );
  });
}

const snapshotOf = (doc: Y.Doc) => {
  const copy = new Y.Doc();
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
  return copy;
};
const md = (doc: Y.Doc) => bodyMarkdown(doc.getXmlFragment('default'));

describe('restoreUpdates', () => {
  it('turns the current doc into the version as new changes, history kept', () => {
    const live = new Y.Doc();
    write(live, ['First draft', '!Bold claim'], [{ category: 'travel', quantity: 1 }]);
    const version = snapshotOf(live);
    write(live, ['Rewritten completely'], []);
    const before = Y.encodeStateVector(live);

    const updates = restoreUpdates(live, version, 1 << 20);
    expect(updates).toHaveLength(1);
    expect(md(live)).toBe('Rewritten completely\n'); // the input is not changed
    for (const u of updates) Y.applyUpdate(live, u);
    expect(md(live)).toBe(md(version));
    expect(md(live)).toBe('First draft\n\n**Bold claim**\n');
    expect(live.getArray('budget').toJSON()).toEqual([{ category: 'travel', quantity: 1 }]);
    // only new operations: every client's clock moved forward or stayed, none went back
    const after = Y.decodeStateVector(Y.encodeStateVector(live));
    for (const [client, clock] of Y.decodeStateVector(before)) {
      expect(after.get(client)).toBeGreaterThanOrEqual(clock);
    }
  });

  it('merges with an edit made concurrently on another replica', () => {
    const live = new Y.Doc();
    write(live, ['v1']);
    const version = snapshotOf(live);
    write(live, ['v2']);
    const other = snapshotOf(live);
    const p = new Y.XmlElement('paragraph');
    p.insert(0, [new Y.XmlText('typed meanwhile')]);
    other.getXmlFragment('default').insert(1, [p]);

    for (const u of restoreUpdates(live, version, 1 << 20)) Y.applyUpdate(other, u);
    // the edit survives beside the restored content (in an order Yjs picks), v2 is gone
    expect(md(other).trim().split('\n\n').sort()).toEqual(['typed meanwhile', 'v1']);
  });

  it('splits large restores into updates under the limit, old content deleted last', () => {
    const live = new Y.Doc();
    write(
      live,
      Array.from({ length: 200 }, (_, i) => `paragraph ${i} `.repeat(20)),
    );
    const version = snapshotOf(live);
    write(live, ['short now']);
    const updates = restoreUpdates(live, version, 8_000);
    expect(updates.length).toBeGreaterThan(5);
    for (const u of updates) expect(u.byteLength).toBeLessThanOrEqual(8_000 + 64);
    const partial = snapshotOf(live);
    for (const u of updates.slice(0, -1)) Y.applyUpdate(partial, u);
    expect(md(partial).startsWith('short now\n')).toBe(true); // not yet deleted: nothing lost
    for (const u of updates) Y.applyUpdate(live, u);
    expect(md(live)).toBe(md(version));
  });

  it('is empty when nothing differs, and refuses a block too large for one update', () => {
    const live = new Y.Doc();
    write(live, ['same']);
    expect(restoreUpdates(live, snapshotOf(live), 1 << 20)).toEqual([]);
    const big = new Y.Doc();
    write(big, ['x'.repeat(5_000)]);
    expect(() => restoreUpdates(live, big, 1_000)).toThrow(RestoreTooLarge);
  });
});
