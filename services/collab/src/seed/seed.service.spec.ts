import * as Y from 'yjs';
import { Clock } from '@agora/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bodyMarkdown } from '../text/body-markdown.js';
import {
  startHistoryHarness,
  type CollabParts,
  type HistoryHarness,
} from '../testing/history-harness.js';
import { DocSeedRepository } from './doc-seed.repository.js';
import { skeletonUpdate } from './doc-skeleton.js';
import { SEED_CLAIM_MS, SeedService } from './seed.service.js';

class MovableClock extends Clock {
  at = Date.now();
  override now(): Date {
    return new Date(this.at);
  }
}

const docOf = (n: number) => `proposal:${n.toString(16).padStart(24, 'e')}`;
const sections = [
  { key: 'summary', heading: 'Summary' },
  { key: 'budget', heading: 'Budget' },
];

describe('SeedService (real DocStore, embedded store)', () => {
  let h: HistoryHarness;
  let parts: CollabParts;
  let seeds: DocSeedRepository;
  const clock = new MovableClock();
  let service: SeedService;
  const markdown = async (docName: string) =>
    bodyMarkdown((await parts.docs.loadDurable(docName)).doc.getXmlFragment('default'));

  beforeAll(async () => {
    h = await startHistoryHarness('seed');
    parts = h.collab();
    seeds = new DocSeedRepository(h.mongo);
    service = new SeedService(seeds, parts.docs, clock);
  });
  afterAll(async () => h?.close());

  it('writes the skeleton once; a repeat answers false and changes nothing', async () => {
    const name = docOf(1);
    expect(await service.seed(name, sections)).toEqual({ seeded: true });
    expect(await markdown(name)).toBe('## Summary\n\n## Budget\n');
    const { seq } = await parts.docs.loadDurable(name);
    expect(await service.seed(name, sections)).toEqual({ seeded: false });
    expect(await service.seed(name, [{ key: 'other', heading: 'Other' }])).toEqual({
      seeded: false,
    });
    expect((await parts.docs.loadDurable(name)).seq).toBe(seq);
  });

  it('never duplicates the skeleton under concurrent seeds', async () => {
    const name = docOf(2);
    const results = await Promise.all(
      Array.from({ length: 6 }, () => service.seed(name, sections)),
    );
    expect(results.filter((r) => r.seeded)).toHaveLength(1);
    const { doc } = await parts.docs.loadDurable(name);
    expect(doc.getXmlFragment('default').length).toBe(4);
  });

  it('adds the skeleton beside text typed before any seed, and leaves a structured doc alone', async () => {
    const name = docOf(3);
    const editor = new Y.Doc();
    const p = new Y.XmlElement('paragraph');
    p.insert(0, [new Y.XmlText('typed first')]);
    editor.getXmlFragment('default').insert(0, [p]);
    await parts.docs.applyServerChange(name, Y.encodeStateAsUpdate(editor), 'a'.repeat(24));
    expect(await service.seed(name, sections)).toEqual({ seeded: true });
    const { doc } = await parts.docs.loadDurable(name);
    expect(doc.getXmlFragment('default').length).toBe(5);
    expect(await markdown(name)).toContain('typed first');

    const structured = docOf(7);
    const own = new Y.Doc();
    const h = new Y.XmlElement('heading');
    h.setAttribute('level', 2 as never);
    h.setAttribute('section', 'mine');
    h.insert(0, [new Y.XmlText('My own section')]);
    own.getXmlFragment('default').insert(0, [h]);
    await parts.docs.applyServerChange(structured, Y.encodeStateAsUpdate(own), 'a'.repeat(24));
    expect(await service.seed(structured, sections)).toEqual({ seeded: false });
    expect(await markdown(structured)).toBe('## My own section\n');
  });

  it('takes over a seed whose process died, with the skeleton it was writing', async () => {
    // died after recording, before writing
    const name = docOf(4);
    expect(await seeds.claim(name, sections, clock.now(), new Date(clock.at + SEED_CLAIM_MS))).toBe(
      true,
    );
    expect(await service.seed(name, sections)).toEqual({ seeded: false }); // still claimed
    clock.at += SEED_CLAIM_MS + 1;
    // a retry with other sections writes the recorded ones: the skeleton never differs
    expect(await service.seed(name, [{ key: 'x', heading: 'X' }])).toEqual({ seeded: true });
    expect(await markdown(name)).toBe('## Summary\n\n## Budget\n');

    // died after writing, before recording it done: the retry writes nothing twice
    const other = docOf(5);
    await seeds.claim(other, sections, clock.now(), new Date(clock.at + SEED_CLAIM_MS));
    await parts.docs.applyServerChange(other, skeletonUpdate(other, sections), null);
    clock.at += SEED_CLAIM_MS + 1;
    expect(await service.seed(other, sections)).toEqual({ seeded: true });
    expect((await parts.docs.loadDurable(other)).doc.getXmlFragment('default').length).toBe(4);
    expect(await service.seed(other, sections)).toEqual({ seeded: false });
  });

  it('gives its claim back when writing fails, so a retry can seed at once', async () => {
    const name = docOf(6);
    const failing = Object.create(parts.docs) as typeof parts.docs;
    failing.applyServerChange = () => Promise.reject(new Error('log unavailable'));
    await expect(new SeedService(seeds, failing, clock).seed(name, sections)).rejects.toThrow(
      'log unavailable',
    );
    expect(await service.seed(name, sections)).toEqual({ seeded: true });
    expect(await markdown(name)).toBe('## Summary\n\n## Budget\n');
  });
});
