import {
  Inject,
  Injectable,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { MAX_ACCESS_TTL_SECONDS, NatsService, PLATFORM_LOGGER, type Logger } from '@agora/platform';
import { envelopeSchema, streams } from '@agora/proto';
import { DeliverPolicy, JetStreamApiCodes, JetStreamApiError } from '@nats-io/jetstream';
import { AccountStatus, type AccountClosed, type AccountRefusal } from './account-status.js';

/** An access token's lifetime plus five minutes of clock skew between identity and collab. */
export const ACCOUNT_VIEW_WINDOW_MS = (MAX_ACCESS_TTL_SECONDS + 300) * 1000;
/** How long a connect waits for the first catch-up before it is told to retry (4503). */
export const ACCOUNT_VIEW_WAIT_MS = 3_000;
const PRUNE_EVERY_MS = 60_000;
const RETRY_MS = 1_000;

/** The view is not caught up with identity's events yet (the bus is down or slow): retry soon. */
export class AccountViewUnavailable extends Error {}

/**
 * Which members' accounts are suspended or deleted, so that their still-valid access tokens open
 * no doc: a push ordered consumer on identity's event stream from `ACCOUNT_VIEW_WINDOW_MS` ago on
 * (no database, no RPC per connect), as the gateway's access view does. Each suspension or
 * deletion is told to the listeners (the access watcher closes the member's connections): unlike
 * the core-NATS event, the stream is resumed from its last sequence after a disconnect, and it
 * closes a connection authorised while the event was on its way.
 */
@Injectable()
export class AccountStatusView implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly status = new AccountStatus(ACCOUNT_VIEW_WINDOW_MS);
  private readonly listeners = new Set<(closed: AccountClosed) => void>();
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
    this.logger = logger.child({ component: 'account-view' });
    void this.whenCaughtUp.then(() => (this.caughtUp = true));
  }

  onApplicationBootstrap(): void {
    this.pruner = setInterval(() => this.status.prune(Date.now()), PRUNE_EVERY_MS);
    this.pruner.unref();
    void this.follow();
  }

  beforeApplicationShutdown(): void {
    this.stopped = true;
    clearInterval(this.pruner);
    this.stopCurrent?.();
  }

  /** Hears every suspension and deletion; returns the unsubscribe. */
  onClosed(listener: (closed: AccountClosed) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Null when the member's tokens still open docs, else why not; waits for the first catch-up. */
  async check(memberId: string, waitMs = ACCOUNT_VIEW_WAIT_MS): Promise<AccountRefusal | null> {
    if (!this.caughtUp) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const timeout = new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), waitMs);
      });
      const outcome = await Promise.race([this.whenCaughtUp, timeout]);
      clearTimeout(timer);
      if (outcome === 'timeout')
        throw new AccountViewUnavailable('account states not loaded yet: retry in a moment');
    }
    return this.status.check(memberId);
  }

  /** The same check, at once, for a connect that already waited (just before it is indexed). */
  checkNow(memberId: string): AccountRefusal | null {
    return this.status.check(memberId);
  }

  private async follow(): Promise<void> {
    while (!this.stopped) {
      try {
        await this.nats.ready();
        await this.consume();
      } catch (err) {
        if (err instanceof JetStreamApiError && err.code === JetStreamApiCodes.StreamNotFound) {
          // No identity stream yet: no account has any event, so nothing is refused.
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
    const windowStart = Date.now() - ACCOUNT_VIEW_WINDOW_MS;
    const lastTs = info.state.last_ts ? Date.parse(info.state.last_ts) : 0;
    if (info.state.messages === 0 || lastTs < windowStart || info.state.last_seq <= this.lastSeq)
      this.markCaughtUp();
    // A push ordered consumer whose filter is the whole stream: the only kind collab's bus user may
    // create there (`identityStreamReadSubjects`), and it pulls nothing from the durable ones.
    const consumer = await this.nats.js.consumers.getPushConsumer(stream, {
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
    const closed = this.status.apply(envelope.data.type, envelope.data.data, at);
    if (!closed) return;
    for (const listener of this.listeners) {
      try {
        listener(closed);
      } catch (err) {
        this.logger.error({ err }, 'account listener failed');
      }
    }
  }
}
