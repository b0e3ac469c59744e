import { Inject, Injectable } from '@nestjs/common';
import type { Model } from 'mongoose';
import {
  isDuplicateKey,
  MongoService,
  Outbox,
  pendingEvent,
  type OutboxWriter,
} from '@agora/platform';
import { collabEvents, type EventData } from '@agora/proto';
import { DOC_CHANGE_COLLECTION, docChangeSchema, type DocChangeDoc } from './doc-change.schema.js';

export type DocChange = EventData<typeof collabEvents.docChanged>;

/** Writes each change period with its `collab.doc.changed` event (outbox). */
@Injectable()
export class DocChangeRepository {
  private readonly model: Model<DocChangeDoc>;
  private readonly writes: OutboxWriter<DocChangeDoc>;

  constructor(@Inject(MongoService) mongo: MongoService, @Inject(Outbox) outbox: Outbox) {
    this.model = mongo.connection.model<DocChangeDoc>(
      'DocChange',
      docChangeSchema,
      DOC_CHANGE_COLLECTION,
    );
    this.writes = outbox.for(this.model);
  }

  async publish(change: DocChange, at: Date): Promise<void> {
    // The event's actor: the first member of the period (the envelope names one).
    const events = [
      pendingEvent(collabEvents.docChanged, change.memberIds[0] ?? null, change.docName, change),
    ];
    const set = { $set: { changedAt: at }, $max: { toSeq: change.toSeq } };
    for (let attempt = 0; attempt < 3; attempt += 1) {
      if (await this.writes.update({ _id: change.docName }, set, events, at)) return;
      try {
        await this.writes.insert(
          { _id: change.docName, toSeq: change.toSeq, changedAt: at },
          events,
          at,
        );
        return;
      } catch (err) {
        // Another replica wrote the doc's first period meanwhile: update that one.
        if (!isDuplicateKey(err)) throw err;
      }
    }
    throw new Error(`change period of ${change.docName} could not be written`);
  }

  /** The last period recorded for a doc (tests, diagnostics). */
  async last(docName: string): Promise<{ toSeq: number; changedAt: Date } | null> {
    const doc = await this.model.findById(docName, { outbox: 0 }).lean<DocChangeDoc>().exec();
    return doc ? { toSeq: doc.toSeq, changedAt: doc.changedAt } : null;
  }
}
