import { Schema } from 'mongoose';

/**
 * That a doc was (or is being) seeded: one per doc, `_id` is the doc name, inserted before the
 * skeleton is applied, so of two seeds only the one that inserted it writes. `sections` is the
 * skeleton it writes: a seed that takes over after a crash writes exactly the same one.
 */
export interface DocSeedDoc {
  _id: string;
  sections: { key: string; heading: string }[];
  state: 'pending' | 'done' | 'skipped';
  /** A pending seed past this was abandoned (its process died): another may take over. */
  claimedUntil: Date;
  at: Date;
}

export const DOC_SEED_COLLECTION = 'doc_seeds';

export const docSeedSchema = new Schema<DocSeedDoc>(
  {
    _id: { type: String, required: true },
    sections: {
      type: [
        {
          _id: false,
          key: { type: String, required: true },
          heading: { type: String, required: true },
        },
      ],
      required: true,
    },
    state: { type: String, enum: ['pending', 'done', 'skipped'], required: true },
    claimedUntil: { type: Date, required: true },
    at: { type: Date, required: true },
  },
  { collection: DOC_SEED_COLLECTION, versionKey: false },
);
// (found by `_id`, the doc name, only: its uniqueness is the once-only guarantee)
