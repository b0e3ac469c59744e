import { allEvents, type Envelope, type EventDef } from '@agora/proto';
import type { Model } from 'mongoose';
import type { Logger } from 'pino';
import { sleep } from '../nats/backoff.js';
import { errorText } from '../nats/nats.service.js';
import { InvalidEventError } from './envelope.js';
import type { EventPublisher, PublishOptions } from './event-publisher.js';
import type { OutboxEntry } from './outbox-entry.js';

/** A mongoose model whose documents carry `outbox: OutboxEntry[]`. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the relay works with any schema that has an outbox
export type OutboxModel = Model<any>;

export interface OutboxRelayOptions {
  /** How often to look for pending entries when not poked, ms. */
  pollMs?: number;
  /** Documents read per pass and model. */
  batch?: number;
  /** Attempts and ack timeout per publish (EventPublisher defaults otherwise). */
  publish?: PublishOptions;
}

const eventsByType = new Map<string, EventDef>(allEvents.map((e) => [e.type, e]));

/**
 * Publishes outbox entries and then removes them. A crash between the two re-publishes the same
 * id later, which JetStream's duplicate window drops; consumers are idempotent beyond it.
 */
export class OutboxRelay {
  private readonly models = new Set<OutboxModel>();
  private readonly abort = new AbortController();
  private wake: AbortController = new AbortController();
  private loopDone: Promise<void> | undefined;
  private started = false;
  private passing: Promise<number> | undefined;

  constructor(
    private readonly publisher: EventPublisher,
    private readonly logger: Logger,
    private readonly options: OutboxRelayOptions = {},
  ) {}

  /** Relays the model's outbox from `start()` on (and creates the `outbox._id` index). Use `Outbox.for`. */
  register(model: OutboxModel): void {
    if (this.models.has(model)) return;
    this.models.add(model);
    model.collection.createIndex({ 'outbox._id': 1 }).catch((err: unknown) => {
      this.logger.warn({ err: errorText(err), model: model.modelName }, 'outbox index not created');
    });
    if (this.started) this.startLoop();
  }

  /**
   * Starts the background loop (PlatformModule does, once the app is initialised, so the relay never
   * reads a store nobody connected yet). Idempotent; with no model registered it waits for one.
   */
  start(): void {
    this.started = true;
    if (this.models.size > 0) this.startLoop();
  }

  /** Call after a local write that pushed to an outbox: relays now instead of at the next poll. */
  poke(): void {
    this.wake.abort();
  }

  /** One pass over every registered model; returns how many entries were published and removed. */
  async relayOnce(): Promise<number> {
    // Passes never overlap: a second caller waits for the running one, then runs its own.
    while (this.passing) await this.passing.catch(() => undefined);
    this.passing = this.pass();
    try {
      return await this.passing;
    } finally {
      this.passing = undefined;
    }
  }

  async stop(): Promise<void> {
    this.abort.abort();
    this.poke();
    await this.loopDone;
  }

  private async pass(): Promise<number> {
    let relayed = 0;
    for (const model of this.models) {
      const docs = (await model
        // Tight bounds on the multikey `outbox._id` index: only documents that hold an entry.
        .find({ outbox: { $elemMatch: { _id: { $type: 'string' } } } }, { outbox: 1 })
        .limit(this.options.batch ?? 100)
        .lean()
        .exec()) as { _id: unknown; outbox?: OutboxEntry[] }[];
      for (const doc of docs) {
        for (const entry of doc.outbox ?? []) {
          if (this.abort.signal.aborted) return relayed;
          const def = eventsByType.get(entry.def);
          if (!def) {
            this.logger.error(
              { type: entry.def, id: entry._id },
              'outbox entry of unknown event type left in place',
            );
            continue;
          }
          try {
            await this.publisher.publishEnvelope(
              def,
              entry.envelope as unknown as Envelope,
              this.options.publish,
            );
          } catch (err) {
            // A stored envelope that no longer fits its contract cannot be fixed by retrying: keep it, say so.
            if (!(err instanceof InvalidEventError)) throw err;
            this.logger.error(
              { type: entry.def, id: entry._id, err: err.message },
              'outbox entry left in place',
            );
            continue;
          }
          await model.updateOne({ _id: doc._id }, { $pull: { outbox: { _id: entry._id } } }).exec();
          relayed += 1;
        }
      }
    }
    return relayed;
  }

  private startLoop(): void {
    if (this.abort.signal.aborted) return;
    this.loopDone ??= this.loop();
    this.poke();
  }

  private async loop(): Promise<void> {
    while (!this.abort.signal.aborted) {
      this.wake = new AbortController();
      try {
        // A full batch means more may be waiting: go again at once.
        if ((await this.relayOnce()) >= (this.options.batch ?? 100)) continue;
      } catch (err) {
        this.logger.warn({ err: errorText(err) }, 'outbox relay pass failed; will retry');
      }
      if (this.abort.signal.aborted) return;
      await sleep(
        this.options.pollMs ?? 1_000,
        AbortSignal.any([this.wake.signal, this.abort.signal]),
      );
    }
  }
}
