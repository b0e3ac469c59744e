import {
  jetstream,
  jetstreamManager,
  type JetStreamClient,
  type JetStreamManager,
} from '@nats-io/jetstream';
import { Objm, type ObjectStore } from '@nats-io/obj';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { inboxPrefixOf, provisioningOf, type Provisioning } from '@agora/proto';
import type { Logger } from 'pino';
import { backoffMs, sleep } from './backoff.js';
import { JetStreamAcks } from './jetstream-acks.js';
import type { NatsConnectionSettings } from './nats-connection.js';
import { ensureBucket, ensureConsumer, ensureStream } from './provision.js';

export interface NatsServiceOptions extends NatsConnectionSettings {
  /** The service: connection name shown by the server, inbox prefix, what it provisions. */
  name: string;
  logger: Logger;
  /**
   * What to ensure at start and after each reconnect: by default what the process owns
   * (`provisioningOf(name)`); given, exactly the listed streams, consumers and buckets.
   */
  provisions?: Partial<Provisioning>;
  /** Copies of each stream and bucket it provisions (`JETSTREAM_REPLICAS`, default 1). */
  replicas?: number;
}

/**
 * One NATS connection per process: connects in the background with backoff (so /readyz can
 * answer while NATS is down), provisions the JetStream resources the process owns, and tracks
 * connectivity. Its replies arrive under its own inbox prefix, where only its NATS user may listen.
 */
export class NatsService {
  private connection: NatsConnection | undefined;
  private jsClient: JetStreamClient | undefined;
  private acks: JetStreamAcks | undefined;
  private manager: JetStreamManager | undefined;
  private connectedNow = false;
  private reason = 'not connected yet';
  private readonly stopping = new AbortController();
  private readonly readyWaiters: ((nc: NatsConnection) => void)[] = [];
  private started: Promise<void> | undefined;
  private provisioned = false;
  private reconnectAttempts = 0;
  private readonly logger: Logger;
  private readonly provisions: Provisioning;

  constructor(private readonly options: NatsServiceOptions) {
    this.logger = options.logger.child({ component: 'nats' });
    this.provisions = options.provisions
      ? { streams: [], consumers: [], buckets: [], ...options.provisions }
      : provisioningOf(options.name);
  }

  /** Starts connecting (idempotent); resolves at once. Use `ready()` to wait for the connection. */
  start(): void {
    this.started ??= this.connectLoop();
  }

  /** Resolves once connected and provisioned (starting the connection if needed); rejects after `timeoutMs`. */
  ready(timeoutMs?: number): Promise<NatsConnection> {
    this.start();
    if (this.connection && this.jsClient && this.provisioned)
      return Promise.resolve(this.connection);
    return new Promise((resolve, reject) => {
      const timer =
        timeoutMs === undefined
          ? undefined
          : setTimeout(() => {
              const i = this.readyWaiters.indexOf(waiter);
              if (i >= 0) this.readyWaiters.splice(i, 1);
              reject(new Error(`NATS not ready after ${timeoutMs} ms: ${this.reason}`));
            }, timeoutMs);
      const waiter = (nc: NatsConnection): void => {
        clearTimeout(timer);
        resolve(nc);
      };
      this.readyWaiters.push(waiter);
    });
  }

  /** Connected and JetStream provisioned (what /readyz reports). */
  get isConnected(): boolean {
    return (
      this.connectedNow &&
      this.provisioned &&
      this.connection !== undefined &&
      !this.connection.isClosed()
    );
  }

  /** Why NATS is not usable, for /readyz and logs. */
  get unreadyReason(): string | undefined {
    return this.isConnected ? undefined : this.reason;
  }

  get nc(): NatsConnection {
    if (!this.connection) throw new Error(`NATS not connected: ${this.reason}`);
    return this.connection;
  }

  get js(): JetStreamClient {
    if (!this.jsClient) throw new Error(`NATS not connected: ${this.reason}`);
    return this.jsClient;
  }

  /** JetStream publishes awaiting their acks, many at once (see JetStreamAcks). */
  get jsAcks(): JetStreamAcks {
    if (!this.acks) throw new Error(`NATS not connected: ${this.reason}`);
    return this.acks;
  }

  get jsm(): JetStreamManager {
    if (!this.manager) throw new Error(`NATS not connected: ${this.reason}`);
    return this.manager;
  }

  /** NATS_URL as logs and /readyz show it: without a `user:password@` it may carry. */
  private get shownUrl(): string {
    return withoutCredentials(this.options.url);
  }

  objectStore(name: string): Promise<ObjectStore> {
    return new Objm(this.js).open(name);
  }

  /** Ensures every stream, bucket and consumer the process owns exists with its proto settings. */
  async provision(): Promise<void> {
    const jsm = this.jsm;
    const replicas = this.options.replicas ?? 1;
    for (const def of this.provisions.streams) await ensureStream(jsm, def, replicas);
    for (const def of this.provisions.buckets) await ensureBucket(this.js, def, replicas);
    // Durable consumers exist as soon as their service first runs, even before it consumes.
    const own = new Set(this.provisions.streams.map((s) => s.name));
    for (const def of this.provisions.consumers) {
      try {
        const warning = await ensureConsumer(jsm, def);
        if (warning) this.logger.warn(warning);
      } catch (err) {
        if (own.has(def.stream)) throw err;
        // Another service's stream may not exist yet (its owner starts later): readiness does not
        // wait for it; the consumer runner creates the durable (deliver all) once the stream is there.
        this.logger.warn(
          { consumer: def.durable, stream: def.stream, err: errorText(err) },
          'stream of another service not there yet; its consumer starts when it is',
        );
      }
    }
  }

  /** Stops reconnecting and drains: pending publishes flush, subscriptions finish, then close. */
  async drain(): Promise<void> {
    this.stopping.abort();
    const nc = this.connection;
    if (!nc || nc.isClosed()) return;
    try {
      await nc.drain();
    } catch (err) {
      this.logger.warn({ err }, 'drain failed; closing');
      await nc.close().catch(() => undefined);
    }
    this.connectedNow = false;
    this.reason = 'shut down';
  }

  private async connectLoop(): Promise<void> {
    for (let attempt = 0; !this.stopping.signal.aborted; attempt += 1) {
      try {
        const { url, user, pass, tls } = this.options;
        const nc = await connect({
          servers: url,
          name: this.options.name,
          inboxPrefix: inboxPrefixOf(this.options.name),
          ...(user === undefined ? {} : { user, pass }),
          ...(tls === undefined ? {} : { tls }),
          maxReconnectAttempts: -1,
          // Exponential backoff with jitter between reconnect attempts, reset once reconnected.
          reconnectDelayHandler: () => backoffMs(this.reconnectAttempts++, 3_000),
          timeout: 3_000,
          // No stack captured up front per request for a timeout or failure that seldom happens:
          // two Error objects per JetStream publish and RPC (~4 % of the points drain's CPU); a
          // request that times out or finds no responder still rejects with its typed error.
          noAsyncTraces: true,
        });
        if (this.stopping.signal.aborted) {
          // drain() ran while this connection was being made: nobody else will close it.
          await nc.close();
          return;
        }
        this.connection = nc;
        this.connectedNow = true;
        this.watchStatus(nc);
        this.jsClient = jetstream(nc);
        this.acks = new JetStreamAcks(nc, inboxPrefixOf(this.options.name));
        this.manager = await jetstreamManager(nc);
        await this.provisionWithRetry();
        this.provisioned = true;
        this.logger.info({ url: this.shownUrl }, 'NATS connected and JetStream provisioned');
        for (const resolve of this.readyWaiters.splice(0)) resolve(nc);
        return;
      } catch (err) {
        // Stopped meanwhile: drain() owns the connection (closing it here would leave drain hanging).
        if (this.stopping.signal.aborted) return;
        this.reason = this.connection
          ? `connected to ${this.shownUrl} but JetStream is not usable: ${errorText(err)}`
          : `cannot connect to ${this.shownUrl}: ${errorText(err)}`;
        this.connectedNow = false;
        const old = this.connection;
        this.connection = undefined;
        this.jsClient = undefined;
        this.acks = undefined;
        this.manager = undefined;
        await old?.close().catch(() => undefined);
        const wait = backoffMs(attempt);
        this.logger.warn({ attempt: attempt + 1, retryInMs: wait }, this.reason);
        await sleep(wait, this.stopping.signal);
      }
    }
  }

  private async provisionWithRetry(): Promise<void> {
    for (let attempt = 0; ; attempt += 1) {
      try {
        await this.provision();
        return;
      } catch (err) {
        this.reason = `connected to ${this.shownUrl} but JetStream is not usable: ${errorText(err)}`;
        // JetStream answers 503 for a moment after a server (re)starts.
        if (attempt >= 20 || this.stopping.signal.aborted) throw err;
        this.logger.warn(
          { err: errorText(err), attempt: attempt + 1 },
          'JetStream provisioning failed; retrying',
        );
        await sleep(backoffMs(attempt, 2_000), this.stopping.signal);
      }
    }
  }

  private watchStatus(nc: NatsConnection): void {
    void (async () => {
      for await (const status of nc.status()) {
        switch (status.type) {
          case 'disconnect':
            this.connectedNow = false;
            this.reason = `disconnected from ${status.server}; reconnecting`;
            this.logger.warn(this.reason);
            break;
          case 'reconnect':
            this.connectedNow = true;
            this.reconnectAttempts = 0;
            this.logger.info({ server: status.server }, 'NATS reconnected');
            // A server that lost its store comes back empty: ensure streams again.
            this.provisionWithRetry().catch((err: unknown) =>
              this.logger.error(
                { err: errorText(err) },
                'JetStream provisioning after reconnect failed',
              ),
            );
            break;
          case 'error':
            this.logger.error({ err: errorText(status.error) }, 'NATS error');
            break;
          default:
            break;
        }
      }
    })();
    void nc.closed().then((err) => {
      this.connectedNow = false;
      this.reason = err ? `connection closed: ${errorText(err)}` : 'connection closed';
    });
  }
}

export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Each server of a NATS URL list without the `user:password@` part. */
export function withoutCredentials(url: string): string {
  return url.replace(/\/\/[^@/,]*@/g, '//');
}
