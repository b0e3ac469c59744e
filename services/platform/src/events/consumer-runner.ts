import type { ConsumerMessages, JsMsg } from '@nats-io/jetstream';
import { headers as natsHeaders } from '@nats-io/transport-node';
import {
  allEvents,
  deadLetterSubject,
  type ConsumerDef,
  type Envelope,
  type EventDef,
} from '@agora/proto';
import type { Logger } from 'pino';
import { REQUEST_ID_HEADER, requestIdFrom, runWithRequestId } from '../logging/request-context.js';
import { backoffMs, sleep, unlessAborted } from '../nats/backoff.js';
import { errorText, type NatsService } from '../nats/nats.service.js';
import { ensureConsumer } from '../nats/provision.js';
import { InflightTracker } from '../rpc/inflight-tracker.js';
import { parseEnvelope } from './envelope.js';
import {
  coverageProblem,
  onEvent,
  type ConsumerContext,
  type EventBinding,
} from './event-handler.js';

/** Headers a dead-lettered message carries. */
export const DEAD_LETTER_HEADERS = {
  reason: 'Agora-Dead-Letter-Reason',
  originalSubject: 'Agora-Original-Subject',
  deliveries: 'Agora-Deliveries',
  originalStream: 'Agora-Original-Stream',
  originalSequence: 'Agora-Original-Sequence',
} as const;

/**
 * Messages a stopping runner hands back are redelivered after this, not at once: with nats-server
 * 2.9 immediate naks sent while the subscription goes away were seen to deliver one message twice
 * and leave another waiting out the ack wait.
 */
const HAND_BACK_DELAY_MS = 100;

/** How many ack waits a handler may run (heartbeating) before its message is let go. */
export const KEEP_ALIVE_ACK_WAITS = 2;

export interface RunningConsumer {
  readonly durable: string;
  /** Stops pulling, waits for handlers in flight. */
  stop(): Promise<void>;
}

export interface ConsumerRunnerOptions {
  /** First nak delay; doubles per delivery, capped at the consumer's ack wait. */
  nakBaseDelayMs?: number;
}

/** One event of a batch: its envelope, validated against its def, and its delivery. */
export interface BatchEvent {
  readonly event: Envelope;
  readonly ctx: ConsumerContext;
}

/**
 * Handles several events at once (`runBatch`); resolves only when the effects of all of them are
 * durable, since every one is acked then. Must be idempotent, like any handler.
 */
export type BatchHandler = (events: readonly BatchEvent[]) => Promise<void>;

/** A message that passed the checks, ready for its handler. */
interface Accepted {
  readonly msg: JsMsg;
  readonly binding: EventBinding;
  readonly event: Envelope;
  readonly ctx: ConsumerContext;
}

const decoder = new TextDecoder();
const eventsByType = new Map<string, EventDef>(allEvents.map((e) => [e.type, e]));

/** Runs durable JetStream consumers: explicit ack, bounded concurrency, dead-lettering, self-restarting. */
export class ConsumerRunner {
  private readonly running = new Set<ConsumerLoop>();

  constructor(
    private readonly nats: NatsService,
    private readonly logger: Logger,
    private readonly options: ConsumerRunnerOptions = {},
  ) {}

  /**
   * Runs the durable consumer `def` with one handler per event (`onEvent(eventDef, fn)`). Refuses
   * events proto does not declare, events the consumer cannot receive, and two handlers for one event.
   */
  run(def: ConsumerDef, bindings: readonly EventBinding[]): RunningConsumer {
    return this.start(def, bindings, undefined);
  }

  /**
   * Batch mode: the same checks and dead-lettering per message, but the messages that arrived
   * while the previous batch ran (up to `def.concurrency`) go to `handle` together and are acked
   * together once it resolves, so a handler can share its store round trips among them. A batch
   * that fails is retried one message at a time, so one bad message cannot hold back the others.
   */
  runBatch(def: ConsumerDef, events: readonly EventDef[], handle: BatchHandler): RunningConsumer {
    const bindings = events.map((e) => onEvent(e, (event, ctx) => handle([{ event, ctx }])));
    return this.start(def, bindings, handle);
  }

  private start(
    def: ConsumerDef,
    bindings: readonly EventBinding[],
    batch: BatchHandler | undefined,
  ): RunningConsumer {
    const bySubject = new Map<string, EventBinding>();
    for (const binding of bindings) {
      if (eventsByType.get(binding.def.type) !== binding.def)
        throw new Error(`no event ${binding.def.type} in proto`);
      const problem = coverageProblem(def, binding.def);
      if (problem) throw new Error(problem);
      if (bySubject.has(binding.def.subject))
        throw new Error(`${def.durable}: two handlers for ${binding.def.type}`);
      bySubject.set(binding.def.subject, binding);
    }
    const loop = new ConsumerLoop(
      def,
      bySubject,
      batch,
      this.nats,
      this.logger.child({ consumer: def.durable }),
      this.options,
    );
    this.running.add(loop);
    loop.start();
    return {
      durable: def.durable,
      stop: async () => {
        await loop.stop();
        this.running.delete(loop);
      },
    };
  }

  /** Stops every consumer this runner started. */
  async stopAll(): Promise<void> {
    await Promise.all([...this.running].map((l) => l.stop()));
    this.running.clear();
  }
}

class ConsumerLoop {
  private readonly abort = new AbortController();
  private readonly inflight = new InflightTracker();
  private messages: ConsumerMessages | undefined;
  private done: Promise<void> | undefined;
  private freeSlot: (() => void) | undefined;
  /** Batch mode: messages pulled and waiting for the next batch, and whether one is scheduled. */
  private queue: JsMsg[] = [];
  private batchScheduled = false;

  constructor(
    private readonly def: ConsumerDef,
    /** Handlers by event subject. */
    private readonly handlers: ReadonlyMap<string, EventBinding>,
    /** Set in batch mode. */
    private readonly batch: BatchHandler | undefined,
    private readonly nats: NatsService,
    private readonly logger: Logger,
    private readonly options: ConsumerRunnerOptions,
  ) {}

  start(): void {
    this.done = this.loop();
  }

  async stop(): Promise<void> {
    this.abort.abort();
    // stop(), not close(): close() resolves only once the loop reads on, and the loop may be waiting for a slot.
    this.messages?.stop();
    this.freeSlot?.();
    await this.done;
    await this.inflight.idle();
    for (const msg of this.queue.splice(0)) msg.nak(HAND_BACK_DELAY_MS);
  }

  private async loop(): Promise<void> {
    for (let attempt = 0; !this.abort.signal.aborted; attempt += 1) {
      try {
        await unlessAborted(this.nats.ready(), this.abort.signal);
        if (this.abort.signal.aborted) return;
        const warning = await ensureConsumer(this.nats.jsm, this.def);
        if (warning) this.logger.warn(warning);
        const consumer = await this.nats.js.consumers.get(this.def.stream, this.def.durable);
        // A deleted consumer or stream ends the iterator (instead of pulling forever), so the loop re-creates it.
        this.messages = await consumer.consume({
          max_messages: this.def.concurrency,
          abort_on_missing_resource: true,
        });
        if (this.abort.signal.aborted) {
          this.messages.stop();
          return;
        }
        this.logger.info('consuming');
        attempt = 0;
        for await (const msg of this.messages) {
          if (this.batch) {
            await this.enqueue(msg);
            continue;
          }
          await this.slot();
          if (this.abort.signal.aborted) {
            // Pulled but not started: hand it back for another replica (or the next start) at
            // once, not after the ack wait. The iterator still yields what it held when stopped.
            msg.nak(HAND_BACK_DELAY_MS);
            continue;
          }
          const release = this.inflight.begin();
          void this.handle(msg)
            .catch((err: unknown) =>
              this.logger.error({ err: errorText(err) }, 'message handling failed'),
            )
            .finally(release);
        }
        if (!this.abort.signal.aborted) this.logger.warn('consume loop ended; restarting');
      } catch (err) {
        if (this.abort.signal.aborted) return;
        this.logger.warn(
          { err: errorText(err), attempt: attempt + 1 },
          'consume loop failed; restarting',
        );
      }
      await sleep(backoffMs(attempt), this.abort.signal);
    }
  }

  /** Waits until fewer than `concurrency` handlers run. */
  private async slot(): Promise<void> {
    while (this.inflight.size >= this.def.concurrency && !this.abort.signal.aborted) {
      await new Promise<void>((resolve) => {
        this.freeSlot = resolve;
        void this.inflight.next().then(resolve);
      });
    }
  }

  /**
   * Batch mode: queues the message for the next batch, and holds the pull loop while a full batch
   * waits (at most `batchesAtOnce` batches run and one waits, within the consumer's
   * max_ack_pending).
   */
  private async enqueue(msg: JsMsg): Promise<void> {
    if (this.abort.signal.aborted) {
      msg.nak(HAND_BACK_DELAY_MS);
      return;
    }
    this.queue.push(msg);
    this.scheduleBatch();
    while (this.queue.length >= this.def.concurrency && !this.abort.signal.aborted) {
      await new Promise<void>((resolve) => (this.freeSlot = resolve));
    }
  }

  /**
   * Starts a batch on the next turn of the event loop (so the messages of one pull response go
   * together), unless `batchesAtOnce` run: the end of one starts the next with what arrived
   * meanwhile.
   */
  private scheduleBatch(): void {
    if (this.batchScheduled || this.inflight.size >= (this.def.batchesAtOnce ?? 1)) return;
    this.batchScheduled = true;
    setImmediate(() => {
      this.batchScheduled = false;
      if (this.abort.signal.aborted || this.queue.length === 0) return;
      const msgs = this.queue.splice(0, this.def.concurrency);
      // Room in the queue again: the pull loop fills it for the next batch while this one runs.
      this.freeSlot?.();
      const release = this.inflight.begin();
      void this.handleBatch(msgs)
        .catch((err: unknown) =>
          this.logger.error({ err: errorText(err) }, 'batch handling failed'),
        )
        .finally(() => {
          release();
          if (this.queue.length > 0) this.scheduleBatch();
        });
    });
  }

  private async handleBatch(msgs: readonly JsMsg[]): Promise<void> {
    const accepted: Accepted[] = [];
    for (const msg of msgs) {
      const a = await this.accept(msg);
      if (a) accepted.push(a);
    }
    if (accepted.length === 0 || !this.batch) return;
    const handle = this.batch;
    try {
      await this.keepingAlive(accepted, () =>
        handle(accepted.map(({ event, ctx }) => ({ event, ctx }))),
      );
    } catch (err) {
      this.logger.warn(
        { err: errorText(err), size: accepted.length },
        'batch failed; retrying its messages one at a time',
      );
      for (const a of accepted) await this.settle(a);
      return;
    }
    for (const a of accepted) a.msg.ack();
  }

  private async handle(msg: JsMsg): Promise<void> {
    const requestId = requestIdFrom(msg.headers?.get(REQUEST_ID_HEADER));
    await runWithRequestId(requestId, async () => {
      const accepted = await this.accept(msg);
      if (accepted) await this.settle(accepted);
    });
  }

  /**
   * The checks before a handler runs; dead-letters (and returns nothing for) a message no handler
   * takes, that is not JSON, breaks its event contract, or was delivered more than maxDeliver times.
   */
  private async accept(msg: JsMsg): Promise<Accepted | undefined> {
    const binding = this.handlers.get(msg.subject);
    if (!binding) {
      const known = allEvents.find((e) => e.subject === msg.subject);
      return this.reject(
        msg,
        known
          ? `no handler for ${known.type} in ${this.def.durable}`
          : `no event in proto for subject ${msg.subject}`,
      );
    }
    let raw: unknown;
    try {
      raw = JSON.parse(decoder.decode(msg.data));
    } catch {
      return this.reject(msg, 'payload is not JSON');
    }
    // Data that breaks the contract cannot get better by retrying: dead-lettered at once.
    const parsed = parseEnvelope(binding.def, raw);
    if (!parsed.ok) return this.reject(msg, parsed.reason);
    const deliveries = msg.info.deliveryCount;
    if (deliveries > this.def.maxDeliver) {
      return this.reject(
        msg,
        `delivered ${deliveries} times without an ack (handler timed out or crashed)`,
      );
    }
    const ctx: ConsumerContext = {
      deliveryCount: deliveries,
      subject: msg.subject,
      streamSequence: msg.info.streamSequence,
      requestId: requestIdFrom(msg.headers?.get(REQUEST_ID_HEADER)),
      logger: this.logger,
    };
    return { msg, binding, event: parsed.envelope, ctx };
  }

  private async reject(msg: JsMsg, reason: string): Promise<undefined> {
    await this.deadLetter(msg, reason);
    return undefined;
  }

  /** Runs the message's handler: ack on success, nak with backoff or dead-letter on failure. */
  private async settle({ msg, binding, event, ctx }: Accepted): Promise<void> {
    const deliveries = ctx.deliveryCount;
    try {
      await this.keepingAlive([{ msg }], () => binding.handle(event, ctx));
      msg.ack();
    } catch (err) {
      const reason = errorText(err);
      if (deliveries >= this.def.maxDeliver)
        return this.deadLetter(msg, `handler failed ${deliveries} times: ${reason}`);
      const delay = Math.min(
        this.def.ackWaitMs,
        (this.options.nakBaseDelayMs ?? 250) * 2 ** (deliveries - 1),
      );
      this.logger.warn(
        { err: reason, deliveries, retryInMs: delay, id: event.id },
        'handler failed; will retry',
      );
      msg.nak(delay);
    }
  }

  /**
   * Runs `work` while telling the server the messages are alive, so they are not redelivered
   * meanwhile; work still running after KEEP_ALIVE_ACK_WAITS ack waits is presumed stuck and the
   * messages are let go (redelivered, and dead-lettered once past maxDeliver).
   */
  private async keepingAlive(
    items: ReadonlyArray<{ msg: JsMsg }>,
    work: () => Promise<void>,
  ): Promise<void> {
    const keepAliveUntil = Date.now() + this.def.ackWaitMs * KEEP_ALIVE_ACK_WAITS;
    const keepAlive = setInterval(
      () => {
        if (Date.now() < keepAliveUntil) for (const { msg } of items) msg.working();
        else {
          clearInterval(keepAlive);
          const first = items[0]?.msg.info;
          this.logger.warn(
            {
              seq: first?.streamSequence,
              deliveries: first?.deliveryCount,
              messages: items.length,
            },
            'handler presumed stuck; letting the message be redelivered',
          );
        }
      },
      Math.max(50, Math.floor(this.def.ackWaitMs / 3)),
    );
    try {
      await work();
    } finally {
      clearInterval(keepAlive);
    }
  }

  /** Republishes to `agora.deadletter.<durable>` with the reason, then terminates the original. */
  private async deadLetter(msg: JsMsg, reason: string): Promise<void> {
    const h = natsHeaders();
    h.set(DEAD_LETTER_HEADERS.reason, headerSafe(reason));
    h.set(DEAD_LETTER_HEADERS.originalSubject, msg.subject);
    h.set(DEAD_LETTER_HEADERS.deliveries, String(msg.info.deliveryCount));
    h.set(DEAD_LETTER_HEADERS.originalStream, msg.info.stream);
    h.set(DEAD_LETTER_HEADERS.originalSequence, String(msg.info.streamSequence));
    const requestId = msg.headers?.get(REQUEST_ID_HEADER);
    if (requestId) h.set(REQUEST_ID_HEADER, requestId);
    try {
      await this.nats.js.publish(deadLetterSubject(this.def.durable), msg.data, {
        headers: h,
        // One dead letter per original message, even if this runs twice.
        msgID: `${this.def.durable}:${msg.info.stream}:${msg.info.streamSequence}`,
      });
      msg.term();
      this.logger.error(
        {
          reason,
          subject: msg.subject,
          seq: msg.info.streamSequence,
          deliveries: msg.info.deliveryCount,
        },
        'message dead-lettered',
      );
    } catch (err) {
      this.logger.error(
        { err: errorText(err), reason },
        'dead-letter publish failed; will retry on redelivery',
      );
      msg.nak(1_000);
    }
  }
}

function headerSafe(value: string): string {
  return value.replace(/[\r\n]+/g, ' ').slice(0, 512);
}
