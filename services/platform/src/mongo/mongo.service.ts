import mongoose, { type Connection } from 'mongoose';
import type { Logger } from 'pino';
import { backoffMs, sleep } from '../nats/backoff.js';
import { errorText } from '../nats/nats.service.js';

export interface MongoServiceOptions {
  url: string;
  service: string;
  logger: Logger;
}

/** One mongoose connection to `agora_<service>`; retries with backoff until the store answers. */
export class MongoService {
  /** Use `connection.model(...)` in repositories. */
  readonly connection: Connection;
  private reason = 'not connected yet';
  private reachable = false;
  private readonly stopping = new AbortController();
  private started: Promise<void> | undefined;
  private readonly logger: Logger;

  constructor(private readonly options: MongoServiceOptions) {
    this.logger = options.logger.child({ component: 'mongo' });
    this.connection = mongoose.createConnection();
  }

  get dbName(): string {
    return `agora_${this.options.service}`;
  }

  /** Starts connecting in the background (idempotent). */
  start(): void {
    this.started ??= this.connectLoop();
  }

  /** Resolves once connected. */
  async ready(): Promise<Connection> {
    this.start();
    await this.started;
    return this.connection;
  }

  get unreadyReason(): string | undefined {
    return this.reachable ? undefined : this.reason;
  }

  /** Pings the store; used by /readyz. */
  async ping(timeoutMs = 1_500): Promise<boolean> {
    const db = this.connection.db;
    if (this.connection.readyState !== mongoose.ConnectionStates.connected || !db) {
      this.reachable = false;
      return false;
    }
    try {
      await Promise.race([
        db.command({ ping: 1 }),
        new Promise((_, reject) =>
          setTimeout(
            () => reject(new Error(`ping timed out after ${timeoutMs} ms`)),
            timeoutMs,
          ).unref(),
        ),
      ]);
      this.reachable = true;
      return true;
    } catch (err) {
      this.reachable = false;
      this.reason = `store ping failed: ${errorText(err)}`;
      return false;
    }
  }

  async close(): Promise<void> {
    this.stopping.abort();
    await this.connection
      .close()
      .catch((err: unknown) => this.logger.warn({ err: errorText(err) }, 'close failed'));
    this.reachable = false;
    this.reason = 'shut down';
  }

  private async connectLoop(): Promise<void> {
    for (let attempt = 0; !this.stopping.signal.aborted; attempt += 1) {
      try {
        await this.connection.openUri(this.options.url, {
          dbName: this.dbName,
          autoIndex: true,
          autoCreate: true,
          serverSelectionTimeoutMS: 3_000,
        });
        this.reachable = true;
        this.logger.info({ db: this.dbName }, 'store connected');
        return;
      } catch (err) {
        this.reachable = false;
        this.reason = `cannot connect to the store: ${errorText(err)}`;
        const wait = backoffMs(attempt);
        this.logger.warn({ attempt: attempt + 1, retryInMs: wait }, this.reason);
        await sleep(wait, this.stopping.signal);
      }
    }
  }
}
