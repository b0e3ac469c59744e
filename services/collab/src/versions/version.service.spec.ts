import * as Y from 'yjs';
import { Clock } from '@agora/platform';
import { collabEvents, type DocVersion } from '@agora/proto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startHistoryHarness,
  type CollabParts,
  type HistoryHarness,
  type SpacesStandIn,
} from '../testing/history-harness.js';
import { VersionRepository } from './version.repository.js';
import { VersionService } from './version.service.js';

const docOf = (n: number) => `proposal:${n.toString(16).padStart(24, 'd')}`;
const lead = 'a'.repeat(24);
const reader = 'b'.repeat(24);
const stranger = 'c'.repeat(24);

describe('VersionService (real DocStore over nats-server and the embedded store, spaces stand-in)', () => {
  let h: HistoryHarness;
  let parts: CollabParts;
  let spaces: SpacesStandIn;
  let service: VersionService;

  /** An editor's change through the live path: computed on the durable state, applied as a server change. */
  async function edit(docName: string, change: (doc: Y.Doc) => void): Promise<void> {
    const { doc } = await parts.docs.loadDurable(docName);
    const before = Y.encodeStateVector(doc);
    change(doc);
    await parts.docs.applyServerChange(docName, Y.encodeStateAsUpdate(doc, before), lead);
  }
  const paragraphs =
    (...texts: string[]) =>
    (doc: Y.Doc) => {
      const body = doc.getXmlFragment('default');
      body.delete(0, body.length);
      body.insert(
        0,
        texts.map((s) => {
          const p = new Y.XmlElement(s.startsWith('# ') ? 'heading' : 'paragraph');
          if (s.startsWith('# ')) p.setAttribute('level', 2 as unknown as string);
          p.insert(0, [new Y.XmlText(s.replace(/^# /, ''))]);
          return p;
        }),
      );
    };
  const budget = (lines: Record<string, unknown>[]) => (doc: Y.Doc) => {
    const a = doc.getArray('budget');
    a.delete(0, a.length);
    a.insert(
      0,
      lines.map((l) => new Y.Map(Object.entries(l))),
    );
  };
  const markdownNow = async (docName: string) => {
    const v = await service.save(docName, 'probe', lead);
    return (await service.get(docName, v.id, lead)).markdown;
  };

  beforeAll(async () => {
    h = await startHistoryHarness('versions');
    parts = h.collab();
    spaces = h.spaces();
    service = new VersionService(
      new VersionRepository(h.mongo, h.outbox),
      parts.docs,
      parts.access,
      new Clock(),
    );
    for (let n = 1; n <= 7; n += 1) {
      spaces.set(lead, docOf(n), 'write');
      spaces.set(reader, docOf(n), 'read');
    }
  });
  afterAll(async () => h?.close());

  it('saves the durable state as a named version, lists it, opens it as Yjs, text and Markdown', async () => {
    const name = docOf(1);
    await edit(name, paragraphs('# Summary', 'Olive oil co-op in Sfax.'));
    const saved = await service.save(name, 'First draft', lead);
    expect(saved).toMatchObject({
      docName: name,
      name: 'First draft',
      reason: 'manual',
      savedBy: lead,
    });
    expect(saved.seq).toBeGreaterThan(0);
    expect(saved.size).toBeGreaterThan(0);

    const content = await service.get(name, saved.id, reader);
    expect(content.version).toEqual(saved);
    expect(content.text).toBe('Summary\nOlive oil co-op in Sfax.');
    expect(content.markdown).toBe('## Summary\n\nOlive oil co-op in Sfax.\n');
    const copy = new Y.Doc();
    Y.applyUpdate(copy, Buffer.from(content.update, 'base64'));
    expect(copy.getXmlFragment('default').length).toBe(2);

    await edit(name, paragraphs('# Summary', 'Second take.'));
    const second = await service.save(name, 'Second', lead);
    expect((await service.list(name, reader)).map((v: DocVersion) => v.name)).toEqual([
      'Second',
      'First draft',
    ]);
    expect(second.seq).toBeGreaterThan(saved.seq);

    const events = await h.waitForEvents(collabEvents.versionSaved.type, 2, name);
    expect(events.map((e) => e.data)).toEqual([
      { docName: name, versionId: saved.id, reason: 'manual', savedBy: lead },
      { docName: name, versionId: second.id, reason: 'manual', savedBy: lead },
    ]);
  });

  it('asks spaces: none sees nothing, read cannot save or restore, spaces down is UNAVAILABLE', async () => {
    const name = docOf(2);
    await edit(name, paragraphs('secret plan'));
    const v = await service.save(name, 'v', lead);
    for (const call of [
      () => service.list(name, stranger),
      () => service.get(name, v.id, stranger),
      () => service.diff(name, v.id, 'current', stranger),
      () => service.save(name, 'x', stranger),
      () => service.restore(name, v.id, stranger),
    ]) {
      await expect(call()).rejects.toMatchObject({ code: 'FORBIDDEN' });
    }
    await expect(service.save(name, 'x', reader)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(service.restore(name, v.id, reader)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(service.diff(name, v.id, 'current', reader)).resolves.toBeTruthy();
    // versions of another doc, and unknown ids, are not found
    await expect(service.get(docOf(1), v.id, lead)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(service.get(name, 'f'.repeat(24), lead)).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await expect(service.diff(name, v.id, 'f'.repeat(24), lead)).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });

    const down = h.spaces();
    spaces.stop();
    down.stop();
    await expect(service.list(name, lead)).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    spaces = h.spaces();
    for (let n = 1; n <= 7; n += 1) {
      spaces.set(lead, docOf(n), 'write');
      spaces.set(reader, docOf(n), 'read');
    }
  });

  it('diffs the body word by word against another version or the current doc', async () => {
    const name = docOf(3);
    await edit(name, paragraphs('We grow olives in Sfax.'));
    const a = await service.save(name, 'a', lead);
    await edit(name, paragraphs('We grow figs in Sfax.', 'New line.'));
    const b = await service.save(name, 'b', lead);
    await edit(name, paragraphs('We grow figs in Sousse.', 'New line.'));

    const ab = await service.diff(name, a.id, b.id, reader);
    expect(ab.from.id).toBe(a.id);
    expect(ab.to?.id).toBe(b.id);
    expect(ab.parts).toEqual([
      { op: 'equal', text: 'We grow ' },
      { op: 'delete', text: 'olives' },
      { op: 'insert', text: 'figs' },
      { op: 'equal', text: ' in Sfax.' },
      { op: 'insert', text: '\nNew line.' },
    ]);
    const now = await service.diff(name, b.id, 'current', reader);
    expect(now.to).toBeNull();
    expect(now.parts.filter((p) => p.op !== 'equal')).toEqual([
      { op: 'delete', text: 'Sfax' },
      { op: 'insert', text: 'Sousse' },
    ]);
  });

  it('restores body and budget as a new change on top of history and saves it as restored', async () => {
    const name = docOf(4);
    await edit(name, paragraphs('# Budget', 'Travel and venue.'));
    await edit(
      name,
      budget([{ category: 'travel', description: 'bus', quantity: 2, unitCost: 900 }]),
    );
    const good = await service.save(name, 'Before the mess', lead);
    await edit(name, paragraphs('oops, all gone'));
    await edit(name, budget([]));
    const { seq: before } = await parts.docs.loadDurable(name);

    const restored = await service.restore(name, good.id, lead);
    expect(restored).toMatchObject({
      reason: 'restored',
      name: 'Restored: Before the mess',
      savedBy: lead,
    });
    expect(restored.seq).toBeGreaterThan(before); // appended, never rewritten
    const { doc } = await parts.docs.loadDurable(name);
    expect(doc.getArray('budget').toJSON()).toEqual([
      { category: 'travel', description: 'bus', quantity: 2, unitCost: 900 },
    ]);
    expect(await markdownNow(name)).toBe('## Budget\n\nTravel and venue.\n');
    // the old states are still readable: history kept
    const versions = await service.list(name, reader);
    expect(versions.map((v) => v.reason)).toContain('restored');
    const diff = await service.diff(name, good.id, restored.id, reader);
    expect(diff.parts.every((p) => p.op === 'equal')).toBe(true);
  });

  it('restores blocks larger than a live-path batch', async () => {
    const name = docOf(6);
    let big = '';
    while (big.length < 400_000) big += Math.random().toString(36).slice(2);
    // written in pieces (an editor's updates stay small), restored as one block of ~400 KB
    await edit(name, paragraphs(''));
    for (let at = 0; at < big.length; at += 100_000) {
      await edit(name, (doc) => {
        const p = doc.getXmlFragment('default').get(0) as Y.XmlElement;
        const t = p.get(0) as Y.XmlText;
        t.insert(t.length, big.slice(at, at + 100_000));
      });
    }
    const v = await service.save(name, 'big', lead);
    await edit(name, paragraphs('small'));
    await service.restore(name, v.id, lead);
    const { doc } = await parts.docs.loadDurable(name);
    expect(
      ((doc.getXmlFragment('default').get(0) as Y.XmlElement).get(0) as Y.XmlText).toJSON(),
    ).toBe(big);
    expect(doc.getXmlFragment('default').length).toBe(1);
  }, 30_000);

  it('freezes a version for spaces without asking rights, and keeps large states whole (chunked)', async () => {
    const name = docOf(7);
    // ~4.6 MB of text in server changes under the batch cap: more than one 4 MiB chunk
    let expected = '';
    for (let i = 0; i < 20; i += 1) {
      let s = '';
      while (s.length < 230_000) s += Math.random().toString(36).slice(2);
      expected += s;
      await edit(name, (doc) => doc.getText('notes').insert(doc.getText('notes').length, s));
    }
    const frozen = await service.freeze(name, 'Submitted', 'submitted', stranger);
    expect(frozen).toMatchObject({ reason: 'submitted', savedBy: stranger });
    // spaces retrying after a lost reply gets the same version; a later submission a new one
    expect(await service.freeze(name, 'Submitted', 'submitted', stranger)).toEqual(frozen);
    await edit(name, (doc) => doc.getText('notes').insert(0, '!'));
    const again = await service.freeze(name, 'Submitted', 'submitted', stranger);
    expect(again.id).not.toBe(frozen.id);
    expected = `!${expected}`;
    expect(frozen.size).toBeGreaterThan(4 * 1024 * 1024);
    // saved and kept whole, but too large for one bus reply: refused clearly, not lost in transit
    await expect(service.get(name, again.id, lead)).rejects.toMatchObject({
      code: 'PAYLOAD_TOO_LARGE',
    });
    const stored = await new VersionRepository(h.mongo, h.outbox).load(name, again.id);
    const copy = new Y.Doc();
    Y.applyUpdate(copy, stored!.state);
    expect(copy.getText('notes').toJSON()).toBe(expected);
  }, 60_000);
});
