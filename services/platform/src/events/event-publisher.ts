import { headers as natsHeaders } from '@nats-io/transport-node';
import type { Envelope, EventData, EventDef } from '@agora/proto';
import type { Logger } from 'pino';
import { currentRequestId, REQUEST_ID_HEADER } from '../logging/request-context.js';
import { backoffMs, sleep } from '../nats/backoff.js';
import { errorText, type NatsService } from '../nats/nats.service.js';
import { buildEnvelope, parseEnvelope, InvalidEventError, type EventInput } from './envelope.js';

export interface PublishResult<D = unknown> {
  envelope: Envelope<D>;
  stream: string;
  seq: number;
  /** True when JetStream already had this id (a re-publish, dropped). */
  duplicate: boolean;
}

export interface PublishOptions {
  /** Attempts before giving up (NATS down, JetStream not ready); the same msg id makes retries safe. */
  attempts?: number;
  /** Wait for each JetStream ack, ms. */
  ackTimeoutMs?: number;
}

const encoder = new TextEncoder();

/** Publishes domain events to JetStream with `Nats-Msg-Id` = envelope id, so duplicates are dropped. */
export class EventPublisher {
  constructor(
    private readonly nats: NatsService,
    private readonly logger: Logger,
  ) {}

  async publish<D extends EventDef>(
    def: D,
    input: EventInput<D>,
    options?: PublishOptions,
  ): Promise<PublishResult<EventData<D>>> {
    const envelope = buildEnvelope(def, input);
    return this.send(def, envelope, options) as Promise<PublishResult<EventData<D>>>;
  }

  /** Publishes an envelope built earlier (the outbox relay); it is validated again first. */
  async publishEnvelope(
    def: EventDef,
    envelope: Envelope,
    options?: PublishOptions,
  ): Promise<PublishResult> {
    const parsed = parseEnvelope(def, envelope);
    if (!parsed.ok) throw new InvalidEventError(def.type, undefined, parsed.reason);
    return this.send(def, parsed.envelope, options);
  }

  private async send(
    def: EventDef,
    envelope: Envelope,
    options?: PublishOptions,
  ): Promise<PublishResult> {
    const attempts = options?.attempts ?? 4;
    const timeout = options?.ackTimeoutMs ?? 3_000;
    const payload = encoder.encode(JSON.stringify(envelope));
    const requestId = currentRequestId();
    for (let attempt = 0; ; attempt += 1) {
      try {
        await this.nats.ready(timeout);
        const h = natsHeaders();
        if (requestId) h.set(REQUEST_ID_HEADER, requestId);
        const ack = await this.nats.jsAcks.publish(def.subject, payload, {
          msgID: envelope.id,
          expectStream: def.stream,
          headers: h,
          timeoutMs: timeout,
        });
        this.logger.debug(
          { type: def.type, id: envelope.id, seq: ack.seq, duplicate: ack.duplicate },
          'event published',
        );
        return { envelope, stream: ack.stream, seq: ack.seq, duplicate: ack.duplicate };
      } catch (err) {
        if (attempt + 1 >= attempts) {
          this.logger.error(
            { type: def.type, id: envelope.id, err: errorText(err) },
            'event publish failed',
          );
          throw err;
        }
        await sleep(backoffMs(attempt, 2_000));
      }
    }
  }
}
