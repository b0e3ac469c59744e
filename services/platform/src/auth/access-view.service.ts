import {
  Inject,
  Injectable,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { envelopeSchema, streams } from '@agora/proto';
import { DeliverPolicy, JetStreamApiCodes, JetStreamApiError } from '@nats-io/jetstream';
import type { Logger } from 'pino';
import { NatsService } from '../nats/nats.service.js';
import { PLATFORM_LOGGER } from '../platform.tokens.js';
import { MAX_ACCESS_TTL_SECONDS } from './access-tokens.js';
import {
  AccessState,
  type AccessChange,
  type AccessRefusal,
  type TokenClaims,
} from './access-state.js';

/** An access token's lifetime plus five minutes of clock skew between identity and the follower. */
export const ACCESS_VIEW_WINDOW_MS = (MAX_ACCESS_TTL_SECONDS + 300) * 1000;
const PRUNE_EVERY_MS = 60_000;
const RETRY_MS = 1_000;

/** The view is not caught up with identity's events yet (the bus is down or slow): retry soon. */
export class AccessViewUnavailable extends Error {}

/**
 * The revocation and role view of the edges that take access tokens (the gateway, collab; no
 * database, no RPC per request): an ordered consumer on identity's event stream, from
 * `ACCESS_VIEW_WINDOW_MS` ago on, keeps `AccessState` current with suspensions, reinstatements,
 * deletions, role changes and ended sessions. Handshakes and requests are checked against it in
 * memory; each change is told to the listeners (the socket servers disconnect what it concerns).
 * Until the first catch-up is done, checks wait for it. The process's bus user needs to create a
 * push ordered consumer on identity's stream (`identityStreamReadSubjects`).
 */
@Injectable()
export class AccessView implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly state = new AccessState(ACCESS_VIEW_WINDOW_MS);
  private readonly listeners = new Set<(change: AccessChange) => void>();
  private readonly logger: Logger;
  private stopped = false;
  private lastSeq = 0;
  private caughtUp = false;
  private markCaughtUp!: () => void;
  private readonly whenCaughtUp = new Promise<void>((resolve) => (this.markCaughtUp = resolve));
  private pruner: ReturnType<typeof setInterval> | undefined;
  private stopCurrent: (() => void) | undefined;

  constructor(
    @Inject(NatsService) private readonly nats: NatsService,
    @Inject(PLATFORM_LOGGER) logger: Logger,
  ) {
    this.logger = logger.child({ component: 'access-view' });
    void this.whenCaughtUp.then(() => (this.caughtUp = true));
  }

  onApplicationBootstrap(): void {
    this.pruner = setInterval(() => this.state.prune(Date.now()), PRUNE_EVERY_MS);
    this.pruner.unref();
    void this.follow();
  }

  beforeApplicationShutdown(): void {
    this.stopped = true;
    clearInterval(this.pruner);
    this.stopCurrent?.();
  }

  /** Hears every change (suspension, deletion, role, ended sessions); returns the unsubscribe. */
  onChange(listener: (change: AccessChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Null when the token is still good, else why not; waits up to `waitMs` for the first catch-up. */
  async check(claims: TokenClaims, waitMs = 3_000): Promise<AccessRefusal | null> {
    if (!this.caughtUp) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const timeout = new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), waitMs);
      });
      const outcome = await Promise.race([this.whenCaughtUp, timeout]);
      clearTimeout(timer);
      if (outcome === 'timeout')
        throw new AccessViewUnavailable('account states not loaded yet: retry in a moment');
    }
    return this.state.check(claims);
  }

  /** The same check, at once, for code that already waited (a connection being set up). */
  checkNow(claims: TokenClaims): AccessRefusal | null {
    return this.state.check(claims);
  }

  private async follow(): Promise<void> {
    while (!this.stopped) {
      try {
        await this.nats.ready();
        await this.consume();
      } catch (err) {
        if (err instanceof JetStreamApiError && err.code === JetStreamApiCodes.StreamNotFound) {
          // No identity stream yet: no account has any event, so nothing is revoked.
          this.markCaughtUp();
        } else if (!this.stopped) {
          this.logger.warn({ err }, 'identity events not followed; retrying');
        }
      }
      if (!this.stopped) await new Promise((r) => setTimeout(r, RETRY_MS));
    }
  }

  /** One ordered consumer's life: from where the last one stopped, or the window's start. */
  private async consume(): Promise<void> {
    const stream = streams.identity.name;
    const info = await this.nats.jsm.streams.info(stream);
    const windowStart = Date.now() - ACCESS_VIEW_WINDOW_MS;
    const lastTs = info.state.last_ts ? Date.parse(info.state.last_ts) : 0;
    if (info.state.messages === 0 || lastTs < windowStart || info.state.last_seq <= this.lastSeq)
      this.markCaughtUp();
    // A push ordered consumer: its messages come to this process's inbox, so it needs no
    // right to pull from (or look at) the durable consumers other services have on this stream.
    const consumer = await this.nats.js.consumers.getPushConsumer(stream, {
      // One filter (nats-server 2.9): it goes in the create subject, which the permissions pin.
      filter_subjects: streams.identity.subjects[0],
      ...(this.lastSeq > 0
        ? { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: this.lastSeq + 1 }
        : {
            deliver_policy: DeliverPolicy.StartTime,
            opt_start_time: new Date(windowStart).toISOString(),
          }),
    });
    const messages = await consumer.consume();
    this.stopCurrent = () => void messages.close();
    try {
      for await (const m of messages) {
        this.lastSeq = m.seq;
        this.apply(m.string(), m.info.timestampNanos / 1_000_000);
        if (m.info.pending === 0) this.markCaughtUp();
      }
    } finally {
      this.stopCurrent = undefined;
    }
  }

  private apply(raw: string, at: number): void {
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      return;
    }
    const envelope = envelopeSchema.safeParse(json);
    if (!envelope.success) return;
    const change = this.state.apply(envelope.data.type, envelope.data.data, at);
    if (!change) return;
    for (const listener of this.listeners) {
      try {
        listener(change);
      } catch (err) {
        this.logger.error({ err }, 'access change listener failed');
      }
    }
  }
}
