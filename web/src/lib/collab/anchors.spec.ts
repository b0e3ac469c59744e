import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { getSchema } from '@tiptap/core';
import { initProseMirrorDoc, prosemirrorJSONToYXmlFragment } from '@tiptap/y-tiptap';
import type { Node } from '@tiptap/pm/model';
import { baseExtensions } from '$lib/components/editor/editor-extensions.js';
import { decodeRange, encodeRange, type BodyBinding } from './anchors.js';

// The editor's own schema, a real Y.Doc body, and y-tiptap's mapping as the editor builds it.
const schema = getSchema(baseExtensions());

function seed(doc: Y.Doc): void {
  prosemirrorJSONToYXmlFragment(
    schema,
    {
      type: 'doc',
      content: [
        {
          type: 'heading',
          attrs: { level: 2, section: 'summary' },
          content: [{ type: 'text', text: 'Summary' }],
        },
        { type: 'paragraph', content: [{ type: 'text', text: 'Hello world, this is Agora.' }] },
      ],
    },
    doc.getXmlFragment('default'),
  );
}

function view(doc: Y.Doc): { binding: BodyBinding; pm: Node } {
  const type = doc.getXmlFragment('default');
  const { doc: pm, mapping } = initProseMirrorDoc(type, schema);
  return { binding: { doc, type, mapping: mapping as BodyBinding['mapping'] }, pm };
}

function find(pm: Node, text: string): { from: number; to: number } {
  let found: { from: number; to: number } | null = null;
  pm.descendants((node, pos) => {
    if (found || !node.isText || !node.text) return;
    const at = node.text.indexOf(text);
    if (at >= 0) found = { from: pos + at, to: pos + at + text.length };
  });
  if (!found) throw new Error(`"${text}" not in the doc`);
  return found;
}

const sync = (from: Y.Doc, to: Y.Doc) => Y.applyUpdate(to, Y.encodeStateAsUpdate(from));

describe('comment anchors', () => {
  it('stay on their words through edits made before them by someone else', () => {
    const a = new Y.Doc();
    seed(a);
    const { binding, pm } = view(a);
    const range = find(pm, 'world');
    const encoded = encodeRange(binding, range.from, range.to);

    // Another editor types at the start of the paragraph and adds a paragraph above it.
    const b = new Y.Doc();
    sync(a, b);
    const paragraph = b.getXmlFragment('default').get(1) as Y.XmlElement;
    (paragraph.get(0) as Y.XmlText).insert(0, 'Oh! ');
    const extra = new Y.XmlElement('paragraph');
    extra.insert(0, [new Y.XmlText('A new first line.')]);
    b.getXmlFragment('default').insert(1, [extra]);
    sync(b, a);

    const now = view(a);
    const moved = decodeRange(now.binding, encoded);
    expect(moved).not.toBeNull();
    expect(moved && moved.from).toBeGreaterThan(range.from);
    expect(moved && now.pm.textBetween(moved.from, moved.to)).toBe('world');
  });

  it('survive the doc going through an update and a fresh load (encoded as base64)', () => {
    const a = new Y.Doc();
    seed(a);
    const { binding, pm } = view(a);
    const range = find(pm, 'this is');
    const encoded = encodeRange(binding, range.from, range.to);
    expect(encoded.anchor).toMatch(/^[A-Za-z0-9+/]+=*$/u);

    const reloaded = new Y.Doc();
    sync(a, reloaded);
    const now = view(reloaded);
    const back = decodeRange(now.binding, encoded);
    expect(back && now.pm.textBetween(back.from, back.to)).toBe('this is');
  });

  it('say the text is gone when the range was deleted', () => {
    const a = new Y.Doc();
    seed(a);
    const { binding, pm } = view(a);
    const range = find(pm, 'world');
    const encoded = encodeRange(binding, range.from, range.to);
    const text = (a.getXmlFragment('default').get(1) as Y.XmlElement).get(0) as Y.XmlText;
    text.delete('Hello '.length, 'world'.length);
    expect(decodeRange(view(a).binding, encoded)).toBeNull();
  });

  it('read garbage as no range, never throw', () => {
    const a = new Y.Doc();
    seed(a);
    const { binding } = view(a);
    expect(decodeRange(binding, { anchor: '!!!', head: 'AAAA' })).toBeNull();
    expect(decodeRange(binding, { anchor: 'AQID', head: 'AQID' })).toBeNull();
    const other = new Y.Doc();
    seed(other);
    const otherView = view(other);
    const foreign = encodeRange(otherView.binding, 3, 6);
    expect(decodeRange(binding, foreign)).toBeNull();
  });
});
