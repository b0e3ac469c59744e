import { describe, expect, it } from 'vitest';
import { docKinds, docName, docNameSchema, docSubject, parseDocName, streams } from './index.js';

const id = '0123456789abcdef01234567';

describe('doc names', () => {
  it('builds and parses <kind>:<24 hex> for every kind', () => {
    for (const kind of docKinds) {
      const name = docName(kind, id);
      expect(name).toBe(`${kind}:${id}`);
      expect(parseDocName(name)).toEqual({ kind, id });
      expect(docNameSchema.safeParse(name).success).toBe(true);
    }
  });

  it('refuses unknown kinds, bad ids and anything around them', () => {
    const bad = [
      `workshop:${id}`,
      `proposal:${id.toUpperCase()}`,
      `proposal:${id.slice(1)}`,
      `proposal:${id}0`,
      `proposal:${id} `,
      ` proposal:${id}`,
      `proposal.${id}`,
      `proposal:${id}:x`,
      `proposal:*`,
      `proposal:>`,
      `board:${id.slice(0, 23)}.`,
      `notes:`,
      '',
    ];
    for (const name of bad) {
      expect(() => parseDocName(name), name).toThrow(/invalid doc name/);
      expect(() => docSubject(name), name).toThrow(/invalid doc name/);
      expect(docNameSchema.safeParse(name).success, name).toBe(false);
    }
    expect(() => docName('workshop' as never, id)).toThrow(/invalid doc kind/);
    expect(() => docName('proposal', 'x'.repeat(24))).toThrow(/invalid doc id/);
    expect(() => docName('proposal', `${id.slice(1)}>`)).toThrow(/invalid doc id/);
  });

  it('maps a doc name to its subject in the collab update stream', () => {
    expect(docSubject(`board:${id}`)).toBe(`agora.collab.doc.board.${id}`);
    expect(docSubject(`notes:${id}`).split('.')).toHaveLength(5);
    expect(streams.collab.subjects).toEqual(['agora.collab.doc.>']);
  });
});
