import { Inject, Injectable } from '@nestjs/common';
import { Clock } from '@agora/platform';
import { DocStore } from '../documents/doc-store.js';
import { outlineOf } from '../outline/doc-outline.js';
import { DocSeedRepository } from './doc-seed.repository.js';
import { skeletonClientId, skeletonUpdate, writersOf, type SectionSeed } from './doc-skeleton.js';

/** How long a seed may take before another may take over from it (ms). */
export const SEED_CLAIM_MS = 30_000;

/**
 * Writes a new document's skeleton once (`collab.skeleton.seed`, called by spaces when a proposal
 * is created, retried freely): only if the doc was never seeded (a unique record, inserted first)
 * and holds no section heading yet (text typed before the seed stays beside the skeleton). Two
 * seeds at once: one writes, the other answers false.
 * A seed whose process died between recording and writing is taken over once its claim lapses,
 * with the same skeleton; the skeleton is one deterministic update, so writing it twice is a no-op.
 */
@Injectable()
export class SeedService {
  constructor(
    @Inject(DocSeedRepository) private readonly seeds: DocSeedRepository,
    @Inject(DocStore) private readonly docs: DocStore,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  async seed(docName: string, sections: readonly SectionSeed[]): Promise<{ seeded: boolean }> {
    const now = this.clock.now();
    const until = new Date(now.getTime() + SEED_CLAIM_MS);
    let skeleton: readonly SectionSeed[] | null = (await this.seeds.claim(
      docName,
      sections,
      now,
      until,
    ))
      ? sections
      : null;
    skeleton ??= await this.seeds.takeOver(docName, now, until);
    if (!skeleton) return { seeded: false };
    try {
      const { doc } = await this.docs.loadDurable(docName);
      const writers = writersOf(doc);
      const structured = outlineOf(doc).sections.length > 0;
      doc.destroy();
      if (writers.includes(skeletonClientId(docName))) {
        // Written by a seed that died before recording it: only the record is missing.
        await this.seeds.finish(docName, 'done', this.clock.now());
        return { seeded: true };
      }
      // Someone typed before the seed ran (collab was slow or down): their text stays, and the
      // skeleton joins it unless the body is already structured — else no submission could pass.
      if (writers.length > 0 && structured) {
        await this.seeds.finish(docName, 'skipped', this.clock.now());
        return { seeded: false };
      }
      await this.docs.applyServerChange(docName, skeletonUpdate(docName, skeleton), null);
      await this.seeds.finish(docName, 'done', this.clock.now());
      return { seeded: true };
    } catch (err) {
      await this.seeds.unclaim(docName, this.clock.now()).catch(() => undefined);
      throw err;
    }
  }
}
