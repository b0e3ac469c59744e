import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { PLATFORM_LOGGER, type Logger } from '@agora/platform';
import * as Y from 'yjs';

/** Long enough for V8 to optimise Yjs's decode/integrate paths, short enough not to delay start. */
const WARM_UP_BUDGET_MS = 250;

/**
 * Runs the Yjs paths a cold load takes (decode and integrate a long history of text, XML and map
 * edits, encode state, state vectors and diffs, merge updates) before the replica listens, so the
 * first member to open a document after a start does not pay the JIT's first compilations
 * (~100 ms measured by `tests/load/collab-cold-load.load.ts`).
 */
@Injectable()
export class YjsWarmUp implements OnModuleInit {
  constructor(@Inject(PLATFORM_LOGGER) private readonly logger: Logger) {}

  onModuleInit(): void {
    const started = performance.now();
    let rounds = 0;
    while (performance.now() - started < WARM_UP_BUDGET_MS && rounds < 20) {
      exerciseYjs(rounds);
      rounds++;
    }
    this.logger.debug({ rounds, ms: Math.round(performance.now() - started) }, 'yjs warmed up');
  }
}

/**
 * One round: two writers edit text, an XML fragment and a map; the result is loaded elsewhere.
 * Answers whether the loaded copy holds the same text (it always should: a self-check).
 */
export function exerciseYjs(seed: number): boolean {
  const a = new Y.Doc();
  const b = new Y.Doc();
  const updates: Uint8Array[] = [];
  a.on('update', (u: Uint8Array) => updates.push(u));
  const text = a.getText('warm-up');
  const xml = a.getXmlFragment('default');
  const map = a.getMap('meta');
  for (let i = 0; i < 600; i++) {
    const at = (i * 7 + seed) % (text.length + 1);
    text.insert(at, `word ${i} `);
    if (i % 5 === 4) text.delete(Math.max(0, at - 3), 3);
    if (i % 50 === 0) {
      const p = new Y.XmlElement('paragraph');
      p.insert(0, [new Y.XmlText(`paragraph ${i}`)]);
      xml.insert(xml.length, [p]);
    }
    if (i % 20 === 0) map.set(`k${i % 40}`, { i, seed });
  }
  Y.applyUpdate(b, Y.mergeUpdates(updates));
  b.getText('warm-up').insert(0, 'b');
  const full = Y.encodeStateAsUpdate(b);
  const c = new Y.Doc();
  Y.applyUpdate(c, full);
  Y.encodeStateAsUpdate(c, Y.encodeStateVector(a));
  Y.diffUpdate(full, Y.encodeStateVector(a));
  const same = c.getText('warm-up').toJSON() === b.getText('warm-up').toJSON();
  a.destroy();
  b.destroy();
  c.destroy();
  return same;
}
