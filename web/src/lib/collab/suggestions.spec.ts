import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  createSuggestion,
  decideSuggestion,
  readSuggestions,
  SuggestionInputError,
  suggestionsMap,
} from './suggestions.js';

const amal = { id: 'aaaaaaaaaaaaaaaaaaaaaaaa', name: 'Amal' };
const lead = { id: 'cccccccccccccccccccccccc', name: 'Lea' };
const range = { anchor: 'AQID', head: 'BAUG' };

describe('suggested changes', () => {
  it('records a replacement with its author and origin, open until decided', () => {
    const doc = new Y.Doc();
    const id = createSuggestion(
      doc,
      { range, original: 'teh', replacement: 'the', author: amal },
      new Date('2026-12-01T10:00:00Z'),
    );
    expect(readSuggestions(doc)).toEqual([
      {
        id,
        ...range,
        original: 'teh',
        replacement: 'the',
        author: amal,
        createdAt: '2026-12-01T10:00:00.000Z',
        status: 'open',
        decidedBy: null,
        decidedAt: null,
      },
    ]);
  });

  it('accepting keeps the author and original and names who decided', () => {
    const doc = new Y.Doc();
    const id = createSuggestion(doc, { range, original: 'a', replacement: 'b', author: amal });
    decideSuggestion(doc, id, 'accepted', lead, new Date('2026-12-01T12:00:00Z'));
    expect(readSuggestions(doc)[0]).toMatchObject({
      author: amal,
      original: 'a',
      replacement: 'b',
      status: 'accepted',
      decidedBy: lead,
      decidedAt: '2026-12-01T12:00:00.000Z',
    });
    expect(() => decideSuggestion(doc, id, 'declined', lead)).toThrow('already-decided');
  });

  it('refuses a no-op, an empty range, too long text and unknown ids', () => {
    const doc = new Y.Doc();
    expect(() =>
      createSuggestion(doc, { range, original: 'same', replacement: 'same', author: amal }),
    ).toThrow(SuggestionInputError);
    expect(() =>
      createSuggestion(doc, { range, original: '', replacement: 'x', author: amal }),
    ).toThrow('empty-range');
    expect(() =>
      createSuggestion(doc, { range, original: 'a', replacement: 'x'.repeat(4001), author: amal }),
    ).toThrow('too-long');
    expect(() => decideSuggestion(doc, 'd'.repeat(32), 'accepted', lead)).toThrow('unknown');
    expect(readSuggestions(doc)).toEqual([]);
  });

  it('lists open suggestions first and skips malformed entries', () => {
    const doc = new Y.Doc();
    const first = createSuggestion(
      doc,
      { range, original: 'a', replacement: 'b', author: amal },
      new Date('2026-12-01T09:00:00Z'),
    );
    const second = createSuggestion(
      doc,
      { range, original: 'c', replacement: '', author: amal },
      new Date('2026-12-01T10:00:00Z'),
    );
    decideSuggestion(doc, first, 'declined', lead);
    const bad = new Y.Map<unknown>();
    suggestionsMap(doc).set('e'.repeat(32), bad);
    bad.set('status', 'maybe');
    expect(readSuggestions(doc).map((s) => [s.id, s.status])).toEqual([
      [second, 'open'],
      [first, 'declined'],
    ]);
  });
});
