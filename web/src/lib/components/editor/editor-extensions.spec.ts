import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { getSchema } from '@tiptap/core';
import { prosemirrorJSONToYXmlFragment, yXmlFragmentToProseMirrorRootNode } from '@tiptap/y-tiptap';
import { baseExtensions } from './editor-extensions.js';

const schema = getSchema(baseExtensions());

// A skeleton as collab seeds it: attributes straight on the Yjs elements.
function seeded(): Y.Doc {
  const doc = new Y.Doc();
  const heading = new Y.XmlElement('heading');
  heading.setAttribute('level', 2 as unknown as string);
  heading.setAttribute('section', 'budget');
  heading.insert(0, [new Y.XmlText('Budget')]);
  const paragraph = new Y.XmlElement('paragraph');
  paragraph.insert(0, [new Y.XmlText('مرحبا بالعالم')]);
  doc.getXmlFragment('default').insert(0, [heading, paragraph]);
  return doc;
}

describe('editor schema', () => {
  it('reads the seeded section heading with its key and writes it back unchanged', () => {
    const pm = yXmlFragmentToProseMirrorRootNode(seeded().getXmlFragment('default'), schema);
    const heading = pm.child(0);
    expect(heading.type.name).toBe('heading');
    expect(heading.attrs).toMatchObject({ level: 2, section: 'budget' });

    const copy = new Y.Doc();
    prosemirrorJSONToYXmlFragment(schema, pm.toJSON(), copy.getXmlFragment('default'));
    const written = copy.getXmlFragment('default').get(0) as Y.XmlElement;
    expect(written.getAttribute('section')).toBe('budget');
    // Direction is rendered, never stored: the shared doc holds no dir attributes.
    expect(written.getAttribute('dir')).toBeUndefined();
    expect((copy.getXmlFragment('default').get(1) as Y.XmlElement).getAttributes()).toEqual({});
  });

  it('renders the section as data-section and every text block with dir=auto', () => {
    const pm = yXmlFragmentToProseMirrorRootNode(seeded().getXmlFragment('default'), schema);
    const headingDom = schema.nodes.heading?.spec.toDOM?.(pm.child(0)) as readonly unknown[];
    const paragraphDom = schema.nodes.paragraph?.spec.toDOM?.(pm.child(1)) as readonly unknown[];
    expect(headingDom[0]).toBe('h2');
    expect(headingDom[1]).toMatchObject({ 'data-section': 'budget', dir: 'auto' });
    expect(paragraphDom[1]).toMatchObject({ dir: 'auto' });
  });

  it('parses data-section back from pasted HTML', () => {
    const rule = schema.nodes.heading?.spec.parseDOM?.[1];
    expect(rule?.tag).toBe('h2');
    const fake = {
      getAttribute: (name: string) => (name === 'data-section' ? 'impact' : null),
    } as unknown as HTMLElement;
    const attrs = typeof rule?.getAttrs === 'function' ? rule.getAttrs(fake) : null;
    expect(attrs).toMatchObject({ level: 2, section: 'impact' });
  });
});
