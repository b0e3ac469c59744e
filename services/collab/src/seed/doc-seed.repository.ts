import { Inject, Injectable } from '@nestjs/common';
import type { Model } from 'mongoose';
import { isDuplicateKey, MongoService } from '@agora/platform';
import { DOC_SEED_COLLECTION, docSeedSchema, type DocSeedDoc } from './doc-seed.schema.js';
import type { SectionSeed } from './doc-skeleton.js';

/** Seeding records in `agora_collab` (`doc_seeds`). */
@Injectable()
export class DocSeedRepository {
  private readonly model: Model<DocSeedDoc>;

  constructor(@Inject(MongoService) mongo: MongoService) {
    this.model = mongo.connection.model<DocSeedDoc>('DocSeed', docSeedSchema, DOC_SEED_COLLECTION);
  }

  /** Records a seed of `docName` as under way; false when one was ever recorded (`_id` is unique). */
  async claim(
    docName: string,
    sections: readonly SectionSeed[],
    now: Date,
    until: Date,
  ): Promise<boolean> {
    try {
      await this.model.create({
        _id: docName,
        sections: sections.map((s) => ({ key: s.key, heading: s.heading })),
        state: 'pending',
        claimedUntil: until,
        at: now,
      });
      return true;
    } catch (err) {
      if (isDuplicateKey(err)) return false;
      throw err;
    }
  }

  /**
   * Takes over a seed left pending by a process that died (its claim lapsed at `now`): answers the
   * sections that seed was writing, or null when it is done, skipped, or still claimed.
   */
  async takeOver(docName: string, now: Date, until: Date): Promise<SectionSeed[] | null> {
    const doc = await this.model
      .findOneAndUpdate(
        { _id: docName, state: 'pending', claimedUntil: { $lte: now } },
        { $set: { claimedUntil: until } },
        { returnDocument: 'after' },
      )
      .lean<DocSeedDoc>()
      .exec();
    return doc ? doc.sections.map((s) => ({ key: s.key, heading: s.heading })) : null;
  }

  async finish(docName: string, state: 'done' | 'skipped', now: Date): Promise<void> {
    await this.model.updateOne({ _id: docName }, { $set: { state, at: now } }).exec();
  }

  /** Lets another seed take over at once (this one failed and answered with an error). */
  async unclaim(docName: string, now: Date): Promise<void> {
    await this.model
      .updateOne({ _id: docName, state: 'pending' }, { $set: { claimedUntil: now } })
      .exec();
  }
}
