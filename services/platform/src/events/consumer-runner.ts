import type { ConsumerMessages, JsMsg } from '@nats-io/jetstream';
import { headers as natsHeaders } from '@nats-io/transport-node';
import { allEvents, deadLetterSubject, type ConsumerDef, type EventDef } from '@agora/proto';
import type { Logger } from 'pino';
import { REQUEST_ID_HEADER, requestIdFrom, runWithRequestId } from '../logging/request-context.js';
import { backoffMs, sleep } from '../nats/backoff.js';
import { errorText, type NatsService } from '../nats/nats.service.js';
import { ensureConsumer } from '../nats/provision.js';
import { InflightTracker } from '../rpc/inflight-tracker.js';
import { parseEnvelope } from './envelope.js';
import { coverageProblem, type EventBinding } from './event-handler.js';

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

  constructor(
    private readonly def: ConsumerDef,
    /** Handlers by event subject. */
    private readonly handlers: ReadonlyMap<string, EventBinding>,
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
  }

  private async loop(): Promise<void> {
    for (let attempt = 0; !this.abort.signal.aborted; attempt += 1) {
      try {
        await Promise.race([this.nats.ready(), aborted(this.abort.signal)]);
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

  private async handle(msg: JsMsg): Promise<void> {
    const deliveries = msg.info.deliveryCount;
    const requestId = requestIdFrom(msg.headers?.get(REQUEST_ID_HEADER));
    await runWithRequestId(requestId, async () => {
      const binding = this.handlers.get(msg.subject);
      if (!binding) {
        const known = allEvents.find((e) => e.subject === msg.subject);
        return this.deadLetter(
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
        return this.deadLetter(msg, 'payload is not JSON');
      }
      // Data that breaks the contract cannot get better by retrying: dead-lettered at once.
      const parsed = parseEnvelope(binding.def, raw);
      if (!parsed.ok) return this.deadLetter(msg, parsed.reason);
      if (deliveries > this.def.maxDeliver) {
        return this.deadLetter(
          msg,
          `delivered ${deliveries} times without an ack (handler timed out or crashed)`,
        );
      }

      // A slow handler tells the server it is alive so the message is not redelivered meanwhile; a handler
      // still running after KEEP_ALIVE_ACK_WAITS ack waits is presumed stuck and the message is let go
      // (redelivered, and dead-lettered once past maxDeliver).
      const keepAliveUntil = Date.now() + this.def.ackWaitMs * KEEP_ALIVE_ACK_WAITS;
      const keepAlive = setInterval(
        () => {
          if (Date.now() < keepAliveUntil) msg.working();
          else {
            clearInterval(keepAlive);
            this.logger.warn(
              { seq: msg.info.streamSequence, deliveries },
              'handler presumed stuck; letting the message be redelivered',
            );
          }
        },
        Math.max(50, Math.floor(this.def.ackWaitMs / 3)),
      );
      try {
        await binding.handle(parsed.envelope, {
          deliveryCount: deliveries,
          subject: msg.subject,
          streamSequence: msg.info.streamSequence,
          requestId,
          logger: this.logger,
        });
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
          { err: reason, deliveries, retryInMs: delay, id: parsed.envelope.id },
          'handler failed; will retry',
        );
        msg.nak(delay);
      } finally {
        clearInterval(keepAlive);
      }
    });
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

function aborted(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', () => resolve(), { once: true });
  });
}
