import { allEvents, type Envelope, type EventDef } from '@agora/proto';
import type { Model, mongo } from 'mongoose';
import type { Logger } from 'pino';
import { sleep } from '../nats/backoff.js';
import { errorText } from '../nats/nats.service.js';
import { InvalidEventError } from './envelope.js';
import type { EventPublisher, PublishOptions } from './event-publisher.js';
import type { OutboxEntry } from './outbox-entry.js';
import { RecentIds } from './recent-ids.js';

/** A mongoose model whose documents carry `outbox: OutboxEntry[]`. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the relay works with any schema that has an outbox
export type OutboxModel = Model<any>;

export interface OutboxRelayOptions {
  /** How often to look for pending entries when not poked, ms. */
  pollMs?: number;
  /** Documents read per scan and model. */
  batch?: number;
  /** Attempts and ack timeout per publish (EventPublisher defaults otherwise). */
  publish?: PublishOptions;
}

const eventsByType = new Map<string, EventDef>(allEvents.map((e) => [e.type, e]));

/** Entries a writer has just stored in one document, handed to the relay to publish at once. */
interface Written {
  model: OutboxModel;
  id: unknown;
  entries: readonly OutboxEntry[];
}

/** Hand-overs kept while the relay is busy; past this the next scan finds them instead. */
const MAX_WRITTEN = 10_000;
/** Entries a scan read, remembered so that their hand-overs are not published again. */
const SCANNED_KEPT = 10_000;
/**
 * Documents whose entries are published at once (each document's still in order), and hand-overs
 * taken per pass (then pulled in one write per model). At 16 and 100, points' `points.awarded`
 * trailed its awards by 0.9–1.4 s at the end of 20,000 events; at 64 and 400, by 0.1–0.15 s.
 */
const PARALLEL_DOCUMENTS = 64;
const HANDOVERS_PER_PASS = 400;

/**
 * Publishes outbox entries and then removes them. A crash between the two re-publishes the same
 * id later, which JetStream's duplicate window drops; consumers are idempotent beyond it.
 *
 * Two ways in: a writer in this process hands over what it just wrote (`written`), which the relay
 * publishes without reading it back and pulls from its documents in one write per model; and a
 * scan of every registered model (at start, every `pollMs`, on `poke`) publishes what a crash, a
 * failed publish or another process left behind. Both publish the same way: documents at once,
 * then one pull per model. The relay remembers the entries its scans read and skips their
 * hand-overs, queued before the scan or handed over after it (a scan can read a write before its
 * writer hands it over): JetStream would drop the second publish, but core-NATS subscribers of the
 * subject would hear it twice.
 */
export class OutboxRelay {
  private readonly models = new Set<OutboxModel>();
  private readonly abort = new AbortController();
  private wake: AbortController = new AbortController();
  private loopDone: Promise<void> | undefined;
  private started = false;
  private passing: Promise<number> | undefined;
  private written: Written[] = [];
  private readonly scanned = new RecentIds(SCANNED_KEPT);
  /** A scan is wanted before the next sleep (start, a poke, a full batch). */
  private scanDue = true;
  private lastScanAt = 0;

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

  /** Asks for a scan of every model now instead of at the next poll (entries written elsewhere). */
  poke(): void {
    this.scanDue = true;
    this.wakeUp();
  }

  /**
   * A local write stored `entries` in document `id` of `model` (OutboxWriter calls this): they are
   * published next, without a scan. Before `start()` nothing is relayed; its first scan finds them.
   */
  handOver(model: OutboxModel, id: unknown, entries: readonly OutboxEntry[]): void {
    if (entries.length === 0) return;
    if (!this.started || this.abort.signal.aborted) return;
    if (id === undefined || id === null || !this.models.has(model)) return this.poke();
    if (this.written.length >= MAX_WRITTEN) return this.poke();
    this.written.push({ model, id, entries });
    this.wakeUp();
  }

  /**
   * Ends the loop's sleep. Once per sleep: every `abort()` call builds its DOMException reason even
   * when the signal is already aborted, and a busy service hands over thousands of writes a second
   * (0.8 % of the points drain's CPU).
   */
  private wakeUp(): void {
    if (!this.wake.signal.aborted) this.wake.abort();
  }

  /** One scan over every registered model; returns how many entries were published and removed. */
  async relayOnce(): Promise<number> {
    return this.exclusive(() => this.pass());
  }

  async stop(): Promise<void> {
    this.abort.abort();
    this.poke();
    await this.loopDone;
  }

  /** Passes never overlap: a second caller waits for the running one, then runs its own. */
  private async exclusive(run: () => Promise<number>): Promise<number> {
    while (this.passing) await this.passing.catch(() => undefined);
    this.passing = run();
    try {
      return await this.passing;
    } finally {
      this.passing = undefined;
    }
  }

  /**
   * Publishes one entry; false when it must stay in place (unknown type, or an envelope that no
   * longer fits its contract, which retrying cannot fix). Other failures throw.
   */
  private async publishEntry(entry: OutboxEntry): Promise<boolean> {
    const def = eventsByType.get(entry.def);
    if (!def) {
      this.logger.error(
        { type: entry.def, id: entry._id },
        'outbox entry of unknown event type left in place',
      );
      return false;
    }
    try {
      await this.publisher.publishEnvelope(
        def,
        entry.envelope as unknown as Envelope,
        this.options.publish,
      );
      return true;
    } catch (err) {
      if (!(err instanceof InvalidEventError)) throw err;
      this.logger.error(
        { type: entry.def, id: entry._id, err: err.message },
        'outbox entry left in place',
      );
      return false;
    }
  }

  /** Publishes what writers handed over (one batch of it), then pulls it from its documents. */
  private async relayWritten(): Promise<number> {
    const batch = this.written.splice(0, HANDOVERS_PER_PASS);
    // One queue per document, in the order its entries were written.
    const documents = new Map<
      string,
      { model: OutboxModel; id: unknown; entries: OutboxEntry[] }
    >();
    for (const { model, id, entries } of batch) {
      const unscanned = entries.filter((e) => !this.scanned.has(e._id));
      if (unscanned.length === 0) continue;
      const key = `${model.modelName}\u0000${String(id)}`;
      const doc = documents.get(key) ?? { model, id, entries: [] };
      doc.entries.push(...unscanned);
      documents.set(key, doc);
    }
    try {
      return await this.publishAndPull([...documents.values()]);
    } catch (err) {
      // What this batch did not publish is still in the store: the next scan takes it.
      this.written = [];
      this.lastScanAt = Date.now();
      throw err;
    }
  }

  /**
   * Publishes the documents' entries — each document's in order, different documents at once (at
   * most `PARALLEL_DOCUMENTS`) — then pulls what went out with one write per model. The first
   * failed publish stops the rest and is thrown once the published ones are pulled.
   */
  private async publishAndPull(documents: readonly Written[]): Promise<number> {
    const done = new Map<OutboxModel, { ids: unknown[]; entryIds: string[] }>();
    let failure: Error | undefined;
    const publishDocument = async (doc: Written) => {
      for (const entry of doc.entries) {
        if (this.abort.signal.aborted || failure !== undefined) return;
        try {
          if (!(await this.publishEntry(entry))) continue;
        } catch (err) {
          failure ??= err instanceof Error ? err : new Error(String(err));
          return;
        }
        const d = done.get(doc.model) ?? { ids: [], entryIds: [] };
        if (!d.ids.includes(doc.id)) d.ids.push(doc.id);
        d.entryIds.push(entry._id);
        done.set(doc.model, d);
      }
    };
    const queue = [...documents];
    await Promise.all(
      Array.from({ length: Math.min(PARALLEL_DOCUMENTS, queue.length) }, async () => {
        for (let doc = queue.shift(); doc; doc = queue.shift()) await publishDocument(doc);
      }),
    );
    // The ids are the documents' own values: the driver's collection needs no casting.
    let relayed = 0;
    for (const [model, d] of done) {
      const docs = model.collection as unknown as mongo.Collection<{
        _id: mongo.BSON.ObjectId | string;
        outbox: OutboxEntry[];
      }>;
      await docs.updateMany(
        { _id: { $in: d.ids as (mongo.BSON.ObjectId | string)[] } },
        { $pull: { outbox: { _id: { $in: d.entryIds } } } },
      );
      relayed += d.entryIds.length;
    }
    if (failure !== undefined) throw failure;
    return relayed;
  }

  /**
   * Reads up to `batch` documents with entries of every model and relays them as hand-overs are
   * relayed; the entries it read are remembered, so their hand-overs (the loop scans every
   * `pollMs` whatever is queued) publish nothing twice.
   */
  private async pass(): Promise<number> {
    let relayed = 0;
    for (const model of this.models) {
      if (this.abort.signal.aborted) return relayed;
      // Every model every poll, mostly finding nothing: through the driver's collection (no mongoose
      // query to build and cast), with tight bounds on the multikey `outbox._id` index.
      const collection = model.collection as unknown as mongo.Collection<{
        _id: unknown;
        outbox?: OutboxEntry[];
      }>;
      const docs = await collection
        .find(
          { outbox: { $elemMatch: { _id: { $type: 'string' } } } },
          { projection: { outbox: 1 }, limit: this.options.batch ?? 100 },
        )
        .toArray();
      if (docs.length === 0) continue;
      const found = docs.map((doc) => ({ model, id: doc._id, entries: doc.outbox ?? [] }));
      for (const doc of found) for (const e of doc.entries) this.scanned.add(e._id);
      relayed += await this.publishAndPull(found);
    }
    return relayed;
  }

  private startLoop(): void {
    if (this.abort.signal.aborted) return;
    this.loopDone ??= this.loop();
    this.poke();
  }

  private async loop(): Promise<void> {
    const pollMs = this.options.pollMs ?? 1_000;
    while (!this.abort.signal.aborted) {
      this.wake = new AbortController();
      try {
        if (this.written.length > 0) await this.exclusive(() => this.relayWritten());
        if (this.scanDue || Date.now() - this.lastScanAt >= pollMs) {
          this.scanDue = false;
          this.lastScanAt = Date.now();
          // A full batch means more may be waiting: go again at once.
          if ((await this.relayOnce()) >= (this.options.batch ?? 100)) this.scanDue = true;
        }
      } catch (err) {
        this.logger.warn({ err: errorText(err) }, 'outbox relay pass failed; will retry');
        this.scanDue = false;
        this.lastScanAt = Date.now();
      }
      if (this.abort.signal.aborted) return;
      if (this.written.length > 0 || this.scanDue) continue;
      await sleep(
        Math.max(1, this.lastScanAt + pollMs - Date.now()),
        AbortSignal.any([this.wake.signal, this.abort.signal]),
      );
    }
  }
}
