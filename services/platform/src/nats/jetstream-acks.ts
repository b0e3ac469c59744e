import {
  createInbox,
  PermissionViolationError,
  headers as natsHeaders,
  type Msg,
  type MsgHdrs,
  type NatsConnection,
} from '@nats-io/transport-node';

/** What JetStream answers a stored (or deduplicated) publish. */
export interface PubAck {
  stream: string;
  seq: number;
  /** True when the stream had this `Nats-Msg-Id` already (a re-publish, dropped). */
  duplicate: boolean;
}

export interface AckedPublishOptions {
  /** `Nats-Msg-Id`: a second publish with it inside the stream's window is dropped. */
  msgID: string;
  /** `Nats-Expected-Stream`: refused unless this stream takes the subject. */
  expectStream?: string;
  /**
   * `Nats-Expected-Last-Subject-Sequence`: refused (code 10071) unless the subject's last message
   * has this sequence — an append that must follow what the writer read.
   */
  expectLastSubjectSeq?: number;
  headers?: MsgHdrs;
  timeoutMs: number;
}

/** JetStream refused the publish (its API error), or nothing answered in time. */
export class JetStreamPublishError extends Error {
  constructor(
    message: string,
    readonly code: number,
  ) {
    super(message);
    this.name = 'JetStreamPublishError';
  }
}

interface Waiter {
  subject: string;
  resolve: (ack: PubAck) => void;
  reject: (err: Error) => void;
  deadline: number;
}

/** How often waiting publishes are checked for their deadline. */
const SWEEP_MS = 100;

/**
 * JetStream publishes awaiting their acks, any number at once, over one wildcard subscription on
 * the connection's inbox. nats.js's `js.publish` makes each one a request, with a timer of its own
 * and a `RequestError("cancelled")` built, stack and all, after every one that resolved: 5 % of
 * the points drain's CPU. nats.js subscribes again after a reconnect; an ack lost meanwhile ends
 * in a timeout, and the caller's retry with the same `Nats-Msg-Id` is dropped as a duplicate. A
 * publish the server refuses (`Permissions Violation for Publish to "<subject>"`) comes back as a
 * connection status, not as an answer: it fails the publishes waiting on that subject.
 */
export class JetStreamAcks {
  private readonly waiting = new Map<string, Waiter>();
  private readonly prefix: string;
  private next = 0;
  /** Runs only while publishes wait: an idle process keeps no timer waking it. */
  private sweeper: NodeJS.Timeout | undefined;

  constructor(
    private readonly nc: NatsConnection,
    inboxPrefix: string,
  ) {
    this.prefix = `${createInbox(inboxPrefix)}.`;
    nc.subscribe(`${this.prefix}*`, {
      callback: (err, msg) => (err ? this.failAll(err) : this.settle(msg)),
    });
    void this.watchRefusals();
    void nc.closed().then(() => {
      this.failAll(new JetStreamPublishError('NATS connection closed', 0));
    });
  }

  /** Publishes `payload` to `subject` and resolves with JetStream's ack. */
  publish(subject: string, payload: Uint8Array, opts: AckedPublishOptions): Promise<PubAck> {
    const token = (this.next++).toString(36);
    const h = opts.headers ?? natsHeaders();
    h.set('Nats-Msg-Id', opts.msgID);
    if (opts.expectStream !== undefined) h.set('Nats-Expected-Stream', opts.expectStream);
    if (opts.expectLastSubjectSeq !== undefined)
      h.set('Nats-Expected-Last-Subject-Sequence', String(opts.expectLastSubjectSeq));
    return new Promise<PubAck>((resolve, reject) => {
      this.waiting.set(token, {
        subject,
        resolve,
        reject,
        deadline: Date.now() + opts.timeoutMs,
      });
      if (!this.sweeper) {
        this.sweeper = setInterval(() => this.expire(), SWEEP_MS);
        this.sweeper.unref();
      }
      try {
        this.nc.publish(subject, payload, { reply: this.prefix + token, headers: h });
      } catch (err) {
        this.waiting.delete(token);
        reject(err instanceof Error ? err : new Error(String(err)));
      }
    });
  }

  /** Publishes still waiting for their ack. */
  get inFlight(): number {
    return this.waiting.size;
  }

  private settle(msg: Msg): void {
    const token = msg.subject.slice(this.prefix.length);
    const waiter = this.waiting.get(token);
    if (!waiter) return; // timed out already
    this.waiting.delete(token);
    // A status message, no body: 503 when no stream takes the subject.
    if (msg.data.length === 0 && msg.headers?.hasError) {
      const { code, description } = msg.headers;
      const reason = code === 503 ? 'no stream takes this subject (no responders)' : description;
      waiter.reject(new JetStreamPublishError(`JetStream publish failed: ${reason}`, code));
      return;
    }
    try {
      const answer = msg.json<{
        stream?: string;
        seq?: number;
        duplicate?: boolean;
        error?: { code?: number; err_code?: number; description?: string };
      }>();
      if (answer.error || answer.stream === undefined || answer.seq === undefined) {
        const e = answer.error ?? {};
        waiter.reject(
          new JetStreamPublishError(
            `JetStream publish refused: ${e.description ?? 'an answer without stream and seq'}`,
            e.err_code ?? e.code ?? 0,
          ),
        );
        return;
      }
      waiter.resolve({
        stream: answer.stream,
        seq: answer.seq,
        duplicate: answer.duplicate === true,
      });
    } catch (err) {
      waiter.reject(new JetStreamPublishError(`JetStream ack unreadable: ${String(err)}`, 0));
    }
  }

  private async watchRefusals(): Promise<void> {
    for await (const status of this.nc.status()) {
      if (status.type !== 'error') continue;
      const err = status.error;
      if (!(err instanceof PermissionViolationError) || err.operation !== 'publish') continue;
      for (const [token, waiter] of this.waiting) {
        if (waiter.subject !== err.subject) continue;
        this.waiting.delete(token);
        waiter.reject(err);
      }
    }
  }

  private expire(): void {
    const now = Date.now();
    for (const [token, waiter] of this.waiting) {
      if (waiter.deadline > now) continue;
      this.waiting.delete(token);
      waiter.reject(
        new JetStreamPublishError('JetStream publish timed out waiting for its ack', 408),
      );
    }
    if (this.waiting.size === 0) {
      clearInterval(this.sweeper);
      this.sweeper = undefined;
    }
  }

  private failAll(err: Error): void {
    for (const waiter of this.waiting.values()) waiter.reject(err);
    this.waiting.clear();
  }
}
