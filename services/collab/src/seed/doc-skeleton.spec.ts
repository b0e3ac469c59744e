import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { bodyMarkdown } from '../text/body-markdown.js';
import { skeletonClientId, skeletonUpdate, writersOf } from './doc-skeleton.js';

const name = 'proposal:' + 'b'.repeat(24);
const sections = [
  { key: 'summary', heading: 'Summary' },
  { key: 'problem', heading: 'The problem' },
];

describe('skeletonUpdate', () => {
  it('writes a level-2 section heading and an empty paragraph per section, no budget', () => {
    const doc = new Y.Doc();
    Y.applyUpdate(doc, skeletonUpdate(name, sections));
    const blocks = doc.getXmlFragment('default').toArray() as Y.XmlElement[];
    expect(blocks.map((b) => b.nodeName)).toEqual(['heading', 'paragraph', 'heading', 'paragraph']);
    expect(blocks[0]?.getAttributes()).toEqual({ level: 2, section: 'summary' });
    expect(blocks[1]?.length).toBe(0);
    expect(doc.getArray('budget').length).toBe(0);
    expect(bodyMarkdown(doc.getXmlFragment('default'))).toBe('## Summary\n\n## The problem\n');
    expect(writersOf(doc)).toEqual([skeletonClientId(name)]);
  });

  it('is the same update every time, so applying it twice changes nothing', () => {
    const a = skeletonUpdate(name, sections);
    expect(skeletonUpdate(name, sections)).toEqual(a);
    const doc = new Y.Doc();
    Y.applyUpdate(doc, a);
    Y.applyUpdate(doc, skeletonUpdate(name, sections));
    expect(doc.getXmlFragment('default').length).toBe(4);
    expect(skeletonClientId('proposal:' + 'c'.repeat(24))).not.toBe(skeletonClientId(name));
  });
});
