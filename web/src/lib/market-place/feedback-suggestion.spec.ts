import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { readSuggestions, SuggestionInputError, suggestionsMap } from '$lib/collab/suggestions.js';
import { sectionParagraph, suggestFromCard } from './feedback-suggestion.js';

function proposalDoc(): Y.Doc {
  const doc = new Y.Doc();
  const body = doc.getXmlFragment('default');
  const section = (key: string, text: string) => {
    const heading = new Y.XmlElement('heading');
    heading.setAttribute('level', 2 as unknown as string);
    heading.setAttribute('section', key);
    heading.insert(0, [new Y.XmlText(key)]);
    const paragraph = new Y.XmlElement('paragraph');
    if (text) paragraph.insert(0, [new Y.XmlText(text)]);
    return [heading, paragraph];
  };
  body.insert(0, [...section('summary', 'Olive oil from small farms'), ...section('budget', '')]);
  return doc;
}

const lead = { id: 'a'.repeat(24), name: 'Leila' };
const origin = {
  cardId: 'c'.repeat(32),
  sessionId: 'b'.repeat(24),
  authorId: 'e'.repeat(24),
  area: 'funding',
};

const decode = (doc: Y.Doc, encoded: string) => {
  const bytes = Uint8Array.from(atob(encoded), (c) => c.charCodeAt(0));
  return Y.createAbsolutePositionFromRelativePosition(Y.decodeRelativePosition(bytes), doc)?.index;
};

describe('a card becomes a suggested change', () => {
  it('finds the first paragraph after the section’s heading', () => {
    const doc = proposalDoc();
    expect(sectionParagraph(doc, 'summary')?.original).toBe('Olive oil from small farms');
    expect(sectionParagraph(doc, 'budget')).toBeNull();
    expect(sectionParagraph(doc, 'impact')).toBeNull();
  });

  it('writes a suggestion over that paragraph, with its origin, that another replica reads', () => {
    const doc = proposalDoc();
    const id = suggestFromCard(doc, {
      sectionKey: 'summary',
      replacement: 'Olive oil from small farms, sold through a regional cooperative',
      author: lead,
      origin,
    });
    expect(id).not.toBeNull();
    const other = new Y.Doc();
    Y.applyUpdate(other, Y.encodeStateAsUpdate(doc));
    const [s] = readSuggestions(other);
    expect(s).toMatchObject({
      id,
      original: 'Olive oil from small farms',
      replacement: 'Olive oil from small farms, sold through a regional cooperative',
      author: lead,
      status: 'open',
    });
    expect(decode(other, s!.anchor)).toBe(0);
    expect(decode(other, s!.head)).toBe('Olive oil from small farms'.length);
    expect(suggestionsMap(other).get(id!)?.get('originCardId')).toBe(origin.cardId);
    expect(suggestionsMap(other).get(id!)?.get('originArea')).toBe('funding');
  });

  it('keeps its anchor on the words when text is typed before them', () => {
    const doc = proposalDoc();
    const id = suggestFromCard(doc, {
      sectionKey: 'summary',
      replacement: 'x',
      author: lead,
      origin,
    });
    sectionParagraph(doc, 'summary')?.text.insert(0, 'Organic ');
    const s = readSuggestions(doc).find((x) => x.id === id)!;
    expect(decode(doc, s.anchor)).toBe(0);
    expect(decode(doc, s.head)).toBe('Organic Olive oil from small farms'.length);
  });

  it('answers null for an empty section and refuses an unchanged text', () => {
    const doc = proposalDoc();
    expect(
      suggestFromCard(doc, { sectionKey: 'budget', replacement: 'x', author: lead, origin }),
    ).toBeNull();
    expect(() =>
      suggestFromCard(doc, {
        sectionKey: 'summary',
        replacement: 'Olive oil from small farms',
        author: lead,
        origin,
      }),
    ).toThrow(SuggestionInputError);
  });
});
