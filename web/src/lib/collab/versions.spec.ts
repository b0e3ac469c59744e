import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { DocVersion } from '@agora/proto';
import { base64ToBytes, docHomePath, newestFirst, versionDoc } from './versions.js';

const toBase64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes));

describe('versions', () => {
  it('rebuilds a version as its own Y.Doc from the base64 update', () => {
    const live = new Y.Doc();
    live.getText('t').insert(0, 'version one');
    live.getArray('budget').push([new Y.Map()]);
    const doc = versionDoc(toBase64(Y.encodeStateAsUpdate(live)));
    expect(doc?.getText('t').toJSON()).toBe('version one');
    expect(doc?.getArray('budget').length).toBe(1);
    expect(doc?.clientID).not.toBe(live.clientID);
  });

  it('refuses what is not base64 or not a Yjs update', () => {
    expect(base64ToBytes('%%%')).toBeNull();
    expect(versionDoc('%%%')).toBeNull();
    expect(versionDoc(toBase64(new Uint8Array([255, 255, 255, 1, 2])))).toBeNull();
  });

  it('links a proposal doc to its page and others to nothing yet', () => {
    expect(docHomePath('proposal:0123456789abcdef01234567')).toBe(
      '/proposals/0123456789abcdef01234567',
    );
    expect(docHomePath('board:0123456789abcdef01234567')).toBeNull();
  });

  it('sorts newest first', () => {
    const v = (id: string, savedAt: string, seq: number): DocVersion => ({
      id: id.repeat(24),
      docName: 'proposal:0123456789abcdef01234567',
      name: id,
      reason: 'manual',
      savedBy: null,
      savedAt,
      seq,
      size: 1,
    });
    expect(
      newestFirst([
        v('a', '2026-12-01T10:00:00.000Z', 1),
        v('b', '2026-12-01T11:00:00.000Z', 2),
        v('c', '2026-12-01T11:00:00.000Z', 3),
      ]).map((x) => x.name),
    ).toEqual(['c', 'b', 'a']);
  });
});
